package org.dp3q.cli.submit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.cli.BrokerSession;
import org.dp3q.cli.ExitCodes;
import org.dp3q.cli.submit.TaskBatch.NumberedTask;
import org.dp3q.cli.wait.BatchWaiter;
import org.dp3q.codec.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {
            "Publish tasks upfront: JSON lines from FILE or '-' (stdin), or N generated DP3 time chunks (--chunks).",
            "Every task is validated first; an invalid input is rejected whole, with line numbers, and nothing is published.",
            "Exits 0 only when the broker confirmed every task.",
        },
        footer = {"", "Generator example:",
            "  dp3q submit --batch cal-phase --chunks 10 --ntimes 75 --arg msin=/data/obs.ms --arg steps=[solve] \\",
            "      --arg solve.h5parm=/work/out_{chunk}.h5parm",
            "", "Exit codes: 0 all tasks confirmed (with --wait: as dp3q wait), 2 invalid input, 3 broker unreachable or",
            "tasks not confirmed (named on stderr)."})
public class SubmitCommand implements Callable<Integer> {
    @Mixin
    BrokerOptions broker;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "JSON lines of tasks (schemas/task.schema.json); '-' reads stdin.")
    String file;

    @Option(names = "--batch", paramLabel = "NAME", description = "The batch; fills 'batch' where a line has none.")
    String batch;

    @Option(names = "--chunks", paramLabel = "N", description = "Generate N time-chunk tasks instead of reading a file.")
    Integer chunks;

    @Option(names = "--ntimes", paramLabel = "K", description = "Timeslots per generated chunk: msin.ntimes=K.")
    Integer ntimes;

    @Option(names = "--first-slot", paramLabel = "S", defaultValue = "0",
            description = "First timeslot: chunk i gets msin.starttimeslot=S+i*K (default: ${DEFAULT-VALUE}).")
    int firstSlot;

    @Option(names = "--arg", paramLabel = "KEY=VALUE",
            description = "An argument of every generated task, in order; {chunk} becomes the chunk number. Repeatable.")
    List<String> args = new ArrayList<>();

    @Option(names = "--tool", paramLabel = "NAME", description = "Tool of generated tasks (default: DP3).")
    String tool;

    @Option(names = "--pool", paramLabel = "NAME", description = "Pool of generated tasks (default: default).")
    String pool;

    @Option(names = "--workdir", paramLabel = "DIR", description = "Absolute working directory of generated tasks.")
    String workdir;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "Environment of generated tasks. Repeatable.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--timeout-s", paramLabel = "SECONDS", description = "Wall-clock limit of each generated task.")
    Integer timeoutS;

    @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts of each generated task.")
    Integer maxAttempts;

    @Option(names = "--dry-run", description = "Print the tasks as JSON lines instead of publishing them.")
    boolean dryRun;

    @Option(names = "--wait", description = "After publishing, wait for the batch like dp3q wait.")
    boolean waitForBatch;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "With --wait: auto, bar, lines or none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Override
    public Integer call() throws InterruptedException {
        TaskBatch tasks;
        try {
            tasks = TaskBatch.prepare(input(), batch, Instant.now());
        } catch (InvalidInputException e) {
            System.err.println("dp3q submit: input rejected, nothing published (" + e.problems().size() + " problem(s)):");
            e.problems().forEach(problem -> System.err.println("  " + problem));
            return ExitCodes.USAGE;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("dp3q submit: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (dryRun) {
            tasks.tasks().forEach(task -> System.out.println(Json.line(task.task())));
            return ExitCodes.OK;
        }
        int published = publish(tasks);
        if (published != ExitCodes.OK || !waitForBatch) {
            return published;
        }
        String waitFor = tasks.tasks().get(0).batch();
        return new BatchWaiter(broker.settings(), waitFor, null, null, BatchWaiter.DEFAULT_GRACE, progress, false, System.out, System.err).await();
    }

    private int publish(TaskBatch tasks) throws InterruptedException {
        List<String> pools = new ArrayList<>(tasks.pools());
        var settings = broker.settings();
        try (BrokerSession session = BrokerSession.open(settings, "submit", pools)) {
            TaskPublisher.Report report = new TaskPublisher(session.connection()).publish(tasks);
            if (!report.events().allAccepted()) {
                System.err.println("dp3q submit: the broker did not record the 'submitted' events of the tasks from "
                        + String.join(", ", TaskPublisher.notAccepted(report.events())) + " on; "
                        + TaskPublisher.notAccepted(report.tasks()).size() + " of " + tasks.tasks().size()
                        + " task(s) were not published; run submit again (task ids make it safe)");
                return ExitCodes.BROKER;
            }
            List<String> notAccepted = TaskPublisher.notAccepted(report.tasks());
            if (!notAccepted.isEmpty()) {
                System.err.println("dp3q submit: the broker did not accept " + notAccepted.size() + " of "
                        + tasks.tasks().size() + " task(s): " + String.join(", ", notAccepted)
                        + "; run submit again (task ids make it safe)");
                return ExitCodes.BROKER;
            }
            System.err.println("dp3q submit: " + tasks.tasks().size() + " task(s) of batch(es) "
                    + String.join(", ", tasks.tasks().stream().map(NumberedTask::batch).distinct().toList())
                    + " accepted by the broker");
            return ExitCodes.OK;
        } catch (BrokerUnavailableException e) {
            System.err.println("dp3q submit: " + e.getMessage() + "; nothing was published");
            return ExitCodes.BROKER;
        } catch (IOException | RuntimeException e) {
            System.err.println("dp3q submit: publishing failed (" + e + "); run submit again: task ids make it safe");
            return ExitCodes.BROKER;
        }
    }

    private List<NumberedTask> input() throws IOException, InvalidInputException {
        if (chunks != null) {
            if (file != null) {
                throw new IllegalArgumentException("give either FILE or --chunks, not both");
            }
            if (batch == null || ntimes == null) {
                throw new IllegalArgumentException("--chunks needs --batch and --ntimes");
            }
            if (chunks < 1 || ntimes < 1 || firstSlot < 0) {
                throw new IllegalArgumentException("--chunks and --ntimes must be at least 1, --first-slot at least 0");
            }
            return new ChunkGenerator(batch, chunks, ntimes, firstSlot, args, tool, pool, workdir, env, timeoutS,
                    maxAttempts).generate();
        }
        if (file == null) {
            throw new IllegalArgumentException("name a FILE of JSON lines, '-' for stdin, or generate with --chunks");
        }
        if ("-".equals(file)) {
            return TaskLines.read(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        }
        try (BufferedReader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            return TaskLines.read(reader);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file: " + file);
        }
    }
}
