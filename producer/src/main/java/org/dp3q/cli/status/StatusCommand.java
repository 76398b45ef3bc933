package org.dp3q.cli.status;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.Optional;
import org.dp3q.batch.ActiveBatches;
import org.dp3q.batch.BatchEvents;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.codec.DurationConverter;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.cli.allocate.AllocationRoster;
import org.dp3q.cli.allocate.AllocationTable;
import org.dp3q.cli.BrokerSession;
import org.dp3q.cli.ExitCodes;
import org.dp3q.cli.wait.Durations;
import org.dp3q.codec.Json;
import org.dp3q.event.BatchProgress;
import org.dp3q.event.TaskState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the task queues per pool (ready, consumers), the failed queue, what runs where, and batches.")
public class StatusCommand implements Callable<Integer> {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--batch", paramLabel = "NAME", description = "Only this batch.")
    String batch;

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "24h",
            description = "Without --batch: the batches active now or ended within this long (default: ${DEFAULT-VALUE}).")
    Duration since;

    @Option(names = "--pool", paramLabel = "NAME", description = "A pool to show even if no event names it; repeatable.")
    List<String> pools = new ArrayList<>();

    @Option(names = "--json", description = "One JSON object on stdout, for scripts.")
    boolean json;

    /** A pool's task queue as the broker counts it. */
    record PoolStatus(String pool, String queue, int ready, int consumers) {
    }

    /** One busy slot as its worker last announced it. */
    record Running(String batch, Integer chunk, String taskId, String host, int slot, String tag, long runningForS,
                   long cpuMs, long rssKb) {
    }

    @Override
    public Integer call() {
        try (BrokerSession session = BrokerSession.open(broker.settings(), "status", List.of())) {
            Map<String, BatchProgress> batches;
            if (batch != null) {
                Optional<BatchProgress> one = BatchEvents.read(session.connection(), batch);
                if (one.isEmpty()) {
                    System.err.println("dp3q status: nothing is known of batch " + batch + " (no task, no event)");
                    return ExitCodes.USAGE;
                }
                batches = Map.of(batch, one.get());
            } else {
                batches = ActiveBatches.read(session.connection(), since);
            }
            TreeSet<String> poolNames = new TreeSet<>(pools);
            poolNames.add(Topology.DEFAULT_POOL);
            batches.values().forEach(p -> p.tasks().forEach(t -> {
                if (t.last().pool() != null) {
                    poolNames.add(t.last().pool());
                }
            }));
            List<PoolStatus> poolStatus = new ArrayList<>();
            int failed;
            try (Channel channel = session.connection().createChannel()) {
                for (String pool : poolNames) {
                    poolStatus.add(poolStatus(session, pool));
                }
                failed = channel.queueDeclarePassive(Topology.FAILED_QUEUE).getMessageCount();
            }
            Instant now = Instant.now();
            List<WorkerRoster.Seen> workers = WorkerRoster.read(session.connection(), now);
            List<Running> running = running(workers, now);
            List<AllocationRoster.Seen> allocations = AllocationRoster.read(session.connection(), now);
            if (json) {
                printJson(poolStatus, failed, workers, running, batches, AllocationTable.json(allocations));
            } else {
                printTables(poolStatus, failed, workers, running, batches);
                AllocationTable.print(allocations, System.out);
            }
            return ExitCodes.OK;
        } catch (BrokerUnavailableException e) {
            System.err.println("dp3q status: " + e.getMessage());
            return ExitCodes.BROKER;
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            System.err.println("dp3q status: " + e.getMessage());
            return ExitCodes.BROKER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.BROKER;
        }
    }

    private static PoolStatus poolStatus(BrokerSession session, String pool) throws IOException {
        String queue = Topology.taskQueue(pool);
        Channel channel = session.connection().createChannel();
        try {
            AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(queue);
            return new PoolStatus(pool, queue, ok.getMessageCount(), ok.getConsumerCount());
        } catch (IOException e) {
            return new PoolStatus(pool, queue + " (not declared)", 0, 0);
        } finally {
            if (channel.isOpen()) {
                try {
                    channel.close();
                } catch (java.util.concurrent.TimeoutException ignored) {
                    // status only reads
                }
            }
        }
    }

    private static List<Running> running(List<WorkerRoster.Seen> workers, Instant now) {
        List<Running> running = new ArrayList<>();
        for (WorkerRoster.Seen seen : workers) {
            if (!seen.state().equals("running") && !seen.state().equals("draining") && !seen.state().equals("quarantined")) {
                continue;
            }
            var worker = seen.last();
            for (var slot : worker.busy()) {
                // both times are the worker's own clock, so a worker whose clock is off still shows the right figure
                long seconds = Duration.between(Instant.parse(slot.since()), Instant.parse(worker.time())).toSeconds()
                        + seen.silentForS();
                running.add(new Running(slot.batch(), slot.chunk(), slot.taskId(), worker.host(), slot.slot(), worker.tag(),
                        seconds, slot.cpuMs(), slot.rssKb()));
            }
        }
        return running;
    }

    private static void printTables(List<PoolStatus> pools, int failed, List<WorkerRoster.Seen> workers,
                                    List<Running> running, Map<String, BatchProgress> batches) {
        System.out.printf("%-12s %-28s %8s %10s%n", "POOL", "QUEUE", "READY", "CONSUMERS");
        pools.forEach(p -> System.out.printf("%-12s %-28s %8d %10d%n", p.pool(), p.queue(), p.ready(), p.consumers()));
        System.out.println("failed tasks held for replay: " + failed);
        System.out.println();
        System.out.printf("%-20s %-16s %8s %-12s %6s %5s %-9s %s%n", "WORKER HOST", "TAG", "PID", "POOL", "SLOTS", "BUSY",
                "STATE", "LAST SEEN");
        workers.forEach(w -> System.out.printf("%-20s %-16s %8d %-12s %6d %5d %-9s %s ago%n", w.last().host(), w.last().tag(),
                w.last().pid(), w.last().pool(), w.last().slots(), w.last().busy().size(), w.state(),
                Durations.human(Duration.ofSeconds(w.silentForS()))));
        workers.forEach(WorkerProblems::print);
        workers.stream().filter(w -> w.skewS() != null).forEach(w -> System.out.println("note: the clock of worker "
                + w.last().host() + " (" + w.last().tag() + ", pid " + w.last().pid() + ") is about "
                + Durations.human(Duration.ofSeconds(Math.abs(w.skewS()))) + (w.skewS() > 0 ? " ahead of" : " behind")
                + " this host's; dp3q does not rely on it"));
        System.out.println();
        System.out.printf("%-20s %6s %-20s %-16s %5s %9s %9s %9s%n", "RUNNING BATCH", "CHUNK", "HOST", "TAG", "SLOT", "FOR",
                "CPU", "RSS");
        running.forEach(r -> System.out.printf("%-20s %6s %-20s %-16s %5d %9s %8.1fs %7dMB%n", r.batch(), r.chunk(), r.host(),
                r.tag(), r.slot(), Durations.human(Duration.ofSeconds(r.runningForS())), r.cpuMs() / 1000.0,
                r.rssKb() / 1024));
        System.out.println();
        System.out.printf("%-20s %6s %6s %6s %8s %8s %s%n", "BATCH", "TOTAL", "DONE", "FAILED", "RUNNING", "QUEUED", "STATE");
        Instant now = Instant.now();
        for (BatchProgress p : batches.values()) {
            var counts = p.counts();
            int queued = counts.get(TaskState.SUBMITTED) + counts.get(TaskState.RETRYING) + counts.get(TaskState.REPLAYED);
            String state = p.isComplete() ? (p.isSuccessful() ? "succeeded" : p.isCancelled() ? "cancelled" : "failed")
                    : "running" + (p.eta(now) == null ? "" : ", ETA " + Durations.human(p.eta(now)));
            System.out.printf("%-20s %6s %6d %6d %8d %8d %s%n", p.batch(), p.total(), p.done(), counts.get(TaskState.FAILED),
                    counts.get(TaskState.RUNNING), queued, state);
        }
    }

    private static void printJson(List<PoolStatus> pools, int failed, List<WorkerRoster.Seen> workers,
                                  List<Running> running, Map<String, BatchProgress> batches, Object allocations) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pools", pools);
        out.put("failed", failed);
        out.put("workers", workers.stream().map(w -> {
            Map<String, Object> worker = new LinkedHashMap<>(Map.of("host", w.last().host(), "tag", w.last().tag(),
                    "pid", w.last().pid(), "pool", w.last().pool(), "slots", w.last().slots(), "state", w.state(),
                    "silent_for_s", w.silentForS()));
            if (w.skewS() != null) {
                worker.put("clock_skew_s", w.skewS());
            }
            return WorkerProblems.withProblems(worker, w);
        }).toList());
        out.put("running", running);
        List<Map<String, Object>> batchList = new ArrayList<>();
        for (BatchProgress p : batches.values()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("batch", p.batch());
            b.put("total", p.total());
            p.counts().forEach((state, count) -> b.put(state.name().toLowerCase(), count));
            b.put("complete", p.isComplete());
            batchList.add(b);
        }
        out.put("batches", batchList);
        out.put("allocations", allocations);
        System.out.println(Json.line(out));
    }
}
