package org.dp3q.worker.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When this worker's allocation ends: {@code --end-time}, else under SLURM {@code SLURM_JOB_END_TIME} (set by
 * recent versions), else what {@code squeue -h -j $SLURM_JOB_ID -o %e} says; null when none tells.
 */
public final class AllocationEnd {
    private static final Logger LOG = LoggerFactory.getLogger(AllocationEnd.class);

    private AllocationEnd() {
    }

    public static Instant find(String endTime, Map<String, String> env) {
        if (endTime != null) {
            return parse(endTime);
        }
        String slurmEnd = env.get("SLURM_JOB_END_TIME");
        if (slurmEnd != null && !slurmEnd.isBlank()) {
            return parse(slurmEnd.trim());
        }
        String job = env.get("SLURM_JOB_ID");
        return job == null ? null : fromSqueue(job);
    }

    /** An RFC 3339 time, a local time as squeue prints it, or seconds since the epoch. */
    public static Instant parse(String text) {
        if (text.matches("[0-9]+")) {
            return Instant.ofEpochSecond(Long.parseLong(text));
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException("--end-time must be a time like 2026-12-02T06:00:00Z or seconds since"
                        + " the epoch, got " + text);
            }
        }
    }

    private static Instant fromSqueue(String job) {
        try {
            Process squeue = new ProcessBuilder("squeue", "-h", "-j", job, "-o", "%e").redirectErrorStream(true).start();
            String out = new String(squeue.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!squeue.waitFor(10, TimeUnit.SECONDS) || squeue.exitValue() != 0) {
                LOG.warn("squeue did not tell when job {} ends ({}); starting tasks without a walltime check", job, out);
                return null;
            }
            return out.isEmpty() || out.equals("N/A") || out.equals("Unknown") ? null : parse(out);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("cannot tell when SLURM job {} ends ({}); starting tasks without a walltime check", job, e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
