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
import java.util.concurrent.CompletableFuture;
import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.dp3q.batch.BatchEvents;
import org.dp3q.batch.BatchStart;
import org.dp3q.batch.IndexRecord;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.broker.stream.StreamPosition;
import org.dp3q.broker.topology.Topology;
import org.dp3q.broker.publish.RoutedChannel;
import org.dp3q.control.ControlCommand;
import org.dp3q.event.BatchProgress;
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
            "Exits 0 only when the broker confirmed every task. Never makes a second live copy of a task: a task of the input",
            "already queued or running with the same parameters is left alone; one that ended is published again.",
        },
        footer = {"", "Generator example:",
            "  dp3q submit --batch cal-phase --chunks 10 --ntimes 75 --arg msin=/data/obs.ms --arg steps=[solve] \\",
            "      --arg solve.h5parm=/work/out_{chunk}.h5parm",
            "", "Exit codes: 0 all tasks confirmed (with --wait: as dp3q wait), 2 invalid input, or tasks queued or running",
            "with other parameters (listed; see --replace), 3 broker unreachable or tasks not confirmed (named on stderr;",
            "running the same submit again publishes only what is not queued or running)."})
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

    @Option(names = "--replace", description = "When tasks of the input are queued or running with other parameters:"
            + " cancel those copies on every worker (recorded cancelled, reason superseded), then publish the input.")
    boolean replace;

    @Option(names = "--wait", description = "After publishing, wait for the batch like dp3q wait.")
    boolean waitForBatch;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "With --wait: auto, bar, lines or none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Override
    public Integer call() throws InterruptedException {
        // connects while the input is read and checked: the two take about as long
        CompletableFuture<BrokerSession> opening = dryRun ? null : BrokerSession.openSoon(broker.settings(), "submit");
        // the batch the input names first is looked up while the rest of the input is read and checked
        CompletableFuture<String> firstBatch = new CompletableFuture<>();
        EarlyLookup early = dryRun ? null : EarlyLookup.start(opening, firstBatch);
        TaskBatch tasks;
        try {
            tasks = TaskBatch.prepare(input(firstBatch), batch, Instant.now());
        } catch (InvalidInputException e) {
            closeWhenOpen(opening);
            System.err.println("dp3q submit: input rejected, nothing published (" + e.problems().size() + " problem(s)):");
            e.problems().forEach(problem -> System.err.println("  " + problem));
            return ExitCodes.USAGE;
        } catch (IOException | IllegalArgumentException e) {
            closeWhenOpen(opening);
            System.err.println("dp3q submit: " + e.getMessage());
            return ExitCodes.USAGE;
        } finally {
            firstBatch.complete(null);
        }
        if (dryRun) {
            tasks.tasks().forEach(task -> System.out.println(Json.line(task.task())));
            return ExitCodes.OK;
        }
        return publish(tasks, opening, early);
    }

    private static void closeWhenOpen(CompletableFuture<BrokerSession> opening) {
        if (opening != null) {
            opening.thenAccept(BrokerSession::close);
        }
    }

    /**
     * With --wait, once everything is published: waits for the batch on submit's own connection, followed from where
     * this submit found ({@code starts}) or recorded it begins, without looking it up again.
     */
    private int thenWait(BrokerSession session, TaskBatch tasks, int published, Map<String, BatchStart> starts)
            throws InterruptedException {
        if (published != ExitCodes.OK || !waitForBatch) {
            return published;
        }
        String waitFor = tasks.tasks().get(0).batch();
        return new BatchWaiter(broker.settings(), waitFor, null, null, BatchWaiter.DEFAULT_GRACE, progress, false,
                System.out, System.err).await(session, Optional.ofNullable(starts.get(waitFor)));
    }

    private int publish(TaskBatch input, CompletableFuture<BrokerSession> opening, EarlyLookup early)
            throws InterruptedException {
        try (BrokerSession session = BrokerSession.opened(opening)) {
            session.declarePools(input.pools());
            Map<String, Optional<BatchProgress>> known = new LinkedHashMap<>();
            Map<String, BatchStart> starts = new LinkedHashMap<>();
            for (String name : input.batches()) {
                Optional<EarlyLookup.Found> found = early.of(name);
                Optional<BatchEvents.Known> lookedUp = found.isPresent() ? found.get().known()
                        : BatchEvents.lookUp(session.connection(), name);
                known.put(name, lookedUp.map(BatchEvents.Known::progress));
                lookedUp.ifPresent(existing -> starts.put(name, existing.start()));
            }
            SubmitPlan plan = SubmitPlan.of(input.tasks(), known);
            if (!plan.conflicts().isEmpty() && !replace) {
                System.err.println("dp3q submit: nothing published: " + plan.conflicts().size() + " task(s) are queued or"
                        + " running with other parameters than the input (tool, args, env, workdir, pool or limits): "
                        + ids(plan.conflicts()));
                System.err.println("  run submit again with --replace to cancel those copies and publish the input,"
                        + " or wait for them to end");
                return ExitCodes.USAGE;
            }
            if (!plan.leftAlone().isEmpty()) {
                System.err.println("dp3q submit: left " + plan.leftAlone().size() + " task(s) alone: already queued or"
                        + " running with the same parameters (" + ids(plan.leftAlone()) + ")");
            }
            List<NumberedTask> toPublish = replace ? plan.publishReplacing() : plan.publish();
            if (replace && !plan.conflicts().isEmpty()) {
                supersede(session, plan.conflicts());
            }
            if (toPublish.isEmpty()) {
                System.err.println("dp3q submit: nothing to publish");
                return thenWait(session, input, ExitCodes.OK, starts);
            }
            // a new batch begins where the events end now; its index record goes out with its first events
            List<IndexRecord> opened = new ArrayList<>();
            Long eventsEnd = null;
            for (Map.Entry<String, Optional<BatchProgress>> batch : known.entrySet()) {
                if (batch.getValue().isEmpty()) {
                    eventsEnd = eventsEnd != null ? eventsEnd : eventsEnd(session, early, batch.getKey());
                    IndexRecord record = IndexRecord.of(batch.getKey(), eventsEnd, IndexRecord.BY_SUBMIT);
                    opened.add(record);
                    record.start().ifPresent(start -> starts.put(record.batch(), start));
                }
            }
            int published = report(input.only(toPublish),
                    new TaskPublisher(session.connection()).publish(input.only(toPublish), opened));
            return thenWait(session, input, published, starts);
        } catch (BrokerUnavailableException e) {
            System.err.println("dp3q submit: " + e.getMessage() + "; nothing was published");
            return ExitCodes.BROKER;
        } catch (IOException | RuntimeException e) {
            System.err.println("dp3q submit: publishing failed (" + e + "); run the same submit again: it publishes only"
                    + " what is not queued or running");
            return ExitCodes.BROKER;
        }
    }

    /**
     * Cancels the live copies of {@code tasks} on every worker before their new copies go out: the new ones carry a
     * fresh {@code submitted_at}, and workers cancel every copy but that one.
     */
    private static void supersede(BrokerSession session, List<NumberedTask> tasks) throws IOException {
        String keep = Instant.now().toString();
        tasks.forEach(task -> task.task().put("submitted_at", keep));
        Map<String, List<String>> byBatch = new LinkedHashMap<>();
        tasks.forEach(task -> byBatch.computeIfAbsent(task.batch(), b -> new ArrayList<>()).add(task.id()));
        try (Channel channel = session.connection().createChannel()) {
            RoutedChannel routed = RoutedChannel.on(channel);
            for (Map.Entry<String, List<String>> batch : byBatch.entrySet()) {
                ControlCommand.supersede(batch.getKey(), batch.getValue(), keep, Instant.now()).publish(routed);
            }
            routed.confirm(30_000);
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            throw new IOException("the broker did not confirm the cancel of the replaced tasks; nothing was published", e);
        }
        System.err.println("dp3q submit: cancelled the live copies of " + tasks.size() + " task(s) on every worker: "
                + ids(tasks));
    }

    private static int report(TaskBatch tasks, TaskPublisher.Report report) {
        if (!report.events().allAccepted()) {
            System.err.println("dp3q submit: the broker did not record the 'submitted' events of the tasks from "
                    + String.join(", ", TaskPublisher.notAccepted(report.events())) + " on; "
                    + TaskPublisher.notAccepted(report.tasks()).size() + " of " + tasks.tasks().size()
                    + " task(s) were not published; run the same submit again: it publishes only what is not queued or running");
            return ExitCodes.BROKER;
        }
        List<String> notAccepted = TaskPublisher.notAccepted(report.tasks());
        if (!notAccepted.isEmpty()) {
            System.err.println("dp3q submit: the broker did not accept " + notAccepted.size() + " of "
                    + tasks.tasks().size() + " task(s): " + String.join(", ", notAccepted)
                    + "; run the same submit again: it publishes only what is not queued or running");
            return ExitCodes.BROKER;
        }
        System.err.println("dp3q submit: " + tasks.tasks().size() + " task(s) of batch(es) "
                + String.join(", ", tasks.batches()) + " accepted by the broker");
        return ExitCodes.OK;
    }

    private static String ids(List<NumberedTask> tasks) {
        List<String> ids = tasks.stream().map(NumberedTask::id).toList();
        return ids.size() <= 20 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 20)) + ", ...";
    }

    /** Where the events end now, for the index record of a new batch: learnt by the early look-up when it was about it. */
    private static long eventsEnd(BrokerSession session, EarlyLookup early, String batch)
            throws IOException, InterruptedException {
        Optional<EarlyLookup.Found> found = early.of(batch);
        if (found.isPresent() && found.get().eventsEnd() != null) {
            return found.get().eventsEnd();
        }
        return StreamPosition.next(session.connection(), Topology.EVENTS_STREAM);
    }

    /** The input's tasks; {@code firstBatch} is given the batch they name first as soon as it is known (null: none). */
    private List<NumberedTask> input(CompletableFuture<String> firstBatch) throws IOException, InvalidInputException {
        if (batch != null) {
            firstBatch.complete(batch);
        }
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
            return TaskLines.read(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    first -> firstBatch.complete(batchOf(first)));
        }
        try (BufferedReader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            return TaskLines.read(reader, first -> firstBatch.complete(batchOf(first)));
        } catch (NoSuchFileException e) {
            throw new IOException("no such file: " + file);
        }
    }

    private static String batchOf(JsonNode task) {
        JsonNode named = task.get("batch");
        return named != null && named.isTextual() ? named.asText() : null;
    }
}

