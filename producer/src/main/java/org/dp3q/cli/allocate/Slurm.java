package org.dp3q.cli.allocate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The allocator's only way to SLURM: {@code squeue}, {@code sbatch} and {@code scancel}, run as processes with
 * the allocator's environment (so {@code SLURM_CONF} and the like apply). Its jobs are the ones of this user with
 * the allocation's name as job name.
 */
public final class Slurm {
    private static final long TIMEOUT_S = 60;

    private final String user;

    public Slurm(String user) {
        this.user = user;
    }

    /** The jobs named {@code name} of this user still in the SLURM queue. */
    public List<SlurmJob> jobs(String name) throws SlurmException {
        String out = run(List.of("squeue", "-h", "-u", user, "-n", name, "-o", "%i %T"), Map.of());
        List<SlurmJob> jobs = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length == 2) {
                jobs.add(new SlurmJob(fields[0], SlurmJob.State.of(fields[1])));
            }
        }
        return jobs;
    }

    /** Submits {@code script} with {@code options} and {@code env} added to the environment; returns the job id. */
    public String submit(List<String> options, Path script, Map<String, String> env) throws SlurmException {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(options);
        command.add(script.toString());
        String out = run(command, env).strip();
        String id = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
        if (!id.matches("\\d+(_\\d+)?")) {
            throw new SlurmException("sbatch answered '" + out + "', not a job id");
        }
        return id;
    }

    public void cancel(List<String> jobIds) throws SlurmException {
        if (!jobIds.isEmpty()) {
            List<String> command = new ArrayList<>(List.of("scancel"));
            command.addAll(jobIds);
            run(command, Map.of());
        }
    }

    private static String run(List<String> command, Map<String, String> env) throws SlurmException {
        try {
            Path out = Files.createTempFile("dp3q-slurm", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new SlurmException(command.get(0) + " did not answer within " + TIMEOUT_S + " s");
                }
                String output = Files.readString(out, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new SlurmException(command.get(0) + " exited " + process.exitValue() + ": " + firstLine(output));
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new SlurmException("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmException(command.get(0) + " interrupted");
        }
    }

    private static String firstLine(String output) {
        String text = output.strip();
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
