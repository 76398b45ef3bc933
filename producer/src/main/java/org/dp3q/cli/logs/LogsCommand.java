package org.dp3q.cli.logs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.cli.BrokerSession;
import org.dp3q.cli.ExitCodes;
import org.dp3q.cli.status.WorkerRoster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {
            "Print the full log (stdout+stderr) of a task's attempt, from wherever it is: this machine's files when",
            "the worker's --log-dir is on a shared file system, else the worker that wrote it (dp3q-worker",
            "--http-port). When neither can give it, says on which host and at which path it lies.",
        },
        footer = {"", "Exit codes: 0 printed, 2 no attempt of the task is known, 3 the log cannot be read or broker unreachable."})
public class LogsCommand implements Callable<Integer> {
    private static final long FOLLOW_POLL_MS = 500;

    @Mixin
    BrokerOptions broker;

    @Parameters(paramLabel = "TASK_ID", description = "The task, e.g. cal-phase/4.")
    String taskId;

    @Option(names = "--attempt", paramLabel = "N", description = "This attempt (default: the latest).")
    Integer attempt;

    @Option(names = "--from-worker",
            description = "Ask the worker that wrote the log even when the file is readable here (e.g. a stale shared file system).")
    boolean fromWorker;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what the attempt writes until it ends.")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        try (BrokerSession session = BrokerSession.open(broker.settings(), "logs", List.of());
             TaskEvents events = TaskEvents.read(session.connection(), taskId)) {
            Optional<Attempt> found = events.find(attempt);
            if (found.isEmpty()) {
                System.err.println("dp3q logs: no " + (attempt == null ? "attempt" : "attempt " + attempt) + " of task "
                        + taskId + " is known (dp3q status --batch BATCH lists a batch's tasks)");
                return ExitCodes.USAGE;
            }
            LogLocation location = LogLocator.locate(found.get(),
                    WorkerRoster.read(session.connection(), Instant.now()), path -> !fromWorker && Files.isReadable(path));
            LogReader reader = new LogReader();
            long offset = 0;
            while (true) {
                byte[] bytes = reader.read(location, offset);
                out.write(bytes);
                out.flush();
                offset += bytes.length;
                boolean over = events.find(found.get().number()).map(Attempt::isOver).orElse(true);
                if (!follow || (over && bytes.length == 0)) {
                    return ExitCodes.OK;
                }
                if (bytes.length == 0) {
                    Thread.sleep(FOLLOW_POLL_MS);
                }
            }
        } catch (BrokerUnavailableException e) {
            System.err.println("dp3q logs: " + e.getMessage());
            return ExitCodes.BROKER;
        } catch (IOException e) {
            System.err.println("dp3q logs: " + e.getMessage());
            return ExitCodes.BROKER;
        }
    }
}
