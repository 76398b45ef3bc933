package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dp3q.batch.IndexRecord;
import org.dp3q.broker.publish.RoutedChannel;
import org.dp3q.broker.topology.TopologyDeclarer;
import org.dp3q.event.EventPublisher;
import org.dp3q.event.EventType;
import org.dp3q.worker.config.ToolAllowlist;
import org.dp3q.worker.config.WorkerSettings;
import org.dp3q.worker.control.CancelledBatches;
import org.dp3q.worker.health.Quarantine;
import org.dp3q.worker.health.WalltimeAdmission;
import org.dp3q.worker.logging.RehearsalFilter;
import org.dp3q.worker.metrics.WorkerMetrics;
import org.dp3q.worker.process.SubprocessLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@value #TASKS} stand-in tasks through a slot's whole path before the worker's slots consume, so that the
 * JIT has compiled that path when the first chunk comes: the broker delivers each task to a slot with prefetch 1,
 * the slot decodes and checks it, starts {@code true} through the launcher the real slots use, records its
 * {@code started} and outcome events, waits for their confirms and acks it, as it does a chunk.
 * <p>
 * Nothing of it reaches a record: the tasks come from one of the broker's exclusive, server-named queues, everything
 * the slot publishes goes to a second one (see {@link RoutedChannel#into}), and both are deleted after. It has its
 * own meters, quarantine, walltime and cancels, and no claims; its logs go to a scratch folder, deleted after, and
 * its slot's lines below a warning to no log ({@link RehearsalFilter}). A broker user that may not declare a queue
 * or publish through the default exchange (the least-privilege worker of {@code broker/lab/setup-broker.sh})
 * cannot rehearse: {@link TaskPathWarmUp} then warms what it can without the broker.
 */
public final class SlotRehearsal {
    /**
     * The worker's JVM compiles a method after about a twentieth of the usual calls, later while its compiler is
     * busy, as it is at start. bench/run, 4 workers x 1 slot, 400 chunks, cold, pairs of runs, ms of worker CPU per
     * task during the batch: 5.4-6.3 without a rehearsal; 5.0-6.8 with 20 tasks; 4.1-4.9 with 30; 4.2 with 50, but
     * then a worker was ready after 1.6 s. The compiler's work is not less, it is done before the batch.
     */
    static final int TASKS = 30;
    private static final String BATCH = "dp3q-rehearsal";
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(SlotRehearsal.class);

    private SlotRehearsal() {
    }

    /**
     * Rehearses with {@code tool} (a {@code true}) on {@code context}'s connection; returns how many tasks it settled:
     * 0 (and why, in the log) when it cannot, as for a broker user that may not declare the scratch queues or
     * publish to them.
     */
    public static int run(WorkerSettings settings, SlotContext context, SubprocessLauncher launcher,
                          ScheduledExecutorService timer, Path tool) {
        Path logs = settings.logDir().resolve(".dp3q").resolve("rehearsal-" + ProcessHandle.current().pid());
        Connection connection = context.connection();
        Channel setup = null;
        Slot slot = null;
        List<String> scratch = new ArrayList<>();
        try {
            setup = connection.createChannel();
            // server-named and exclusive; not auto-delete, so that each is there for its own delete after
            String tasks = setup.queueDeclare("", false, true, false, null).getQueue();
            scratch.add(tasks);
            String sink = setup.queueDeclare("", false, true, false, null).getQueue();
            scratch.add(sink);
            Outcomes outcomes = new Outcomes(setup);
            setup.basicConsume(sink, true, outcomes);
            publishTasks(setup, tasks);
            SlotIdentity identity = new SlotIdentity(SlotIdentity.localHost(), ProcessHandle.current().pid(), 0,
                    settings.tag());
            WorkerSettings rehearsing = settings.rehearsing(ToolAllowlist.parse(List.of("true=" + tool), null), logs);
            slot = new Slot(identity, connection, SlotQueue.rehearsal(tasks, sink),
                    new TaskHandler(rehearsing, identity, launcher, scratchContext(context, timer)), timer, context.stops());
            slot.open();
            if (!outcomes.all.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("the rehearsal of the task path settled {} of {} tasks in {} s; going on without the rest",
                        outcomes.byTask.size(), TASKS, PATIENCE.toSeconds());
            }
            if (!outcomes.byTask.values().stream().allMatch(EventType.SUCCEEDED.wire()::equals)) {
                LOG.info("the rehearsal's tasks of {} ended {}", tool, outcomes.byTask.values());
            }
            return outcomes.byTask.size();
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.info("no rehearsal of the task path through the broker: {}", why(e));
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            close(slot, setup, scratch);
            TaskPathWarmUp.delete(logs);
        }
    }

    /** Cancels, meters, quarantine and walltime of its own, no claims: nothing it does touches the worker's. */
    private static SlotContext scratchContext(SlotContext context, ScheduledExecutorService timer) {
        return new SlotContext(new CancelledBatches(), WorkerMetrics.inMemory(), new Quarantine(0, Duration.ZERO, timer),
                new WalltimeAdmission(null, Duration.ZERO, Clock.systemUTC()), context.stops(), context.connection(),
                Optional.empty());
    }

    /** The tasks, as {@code dp3q submit} publishes them, confirmed. */
    private static void publishTasks(Channel setup, String queue) throws IOException, InterruptedException, TimeoutException {
        RoutedChannel out = RoutedChannel.into(setup, queue);
        String submittedAt = Instant.now().toString();
        for (int chunk = 0; chunk < TASKS; chunk++) {
            String id = BATCH + "/" + chunk;
            String task = "{\"schema\":\"dp3q.task/1\",\"id\":\"" + id + "\",\"batch\":\"" + BATCH + "\",\"chunk\":" + chunk
                    + ",\"chunks\":" + TASKS + ",\"pool\":\"default\",\"tool\":\"true\",\"args\":[\"msin=rehearsal.ms\","
                    + "\"msout=.\",\"steps=[]\"],\"env\":{\"OMP_NUM_THREADS\":\"1\"},\"submitted_at\":\"" + submittedAt + "\"}";
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .contentEncoding("utf-8").messageId(id)
                    .headers(Map.of(EventPublisher.BATCH_HEADER, BATCH, IndexRecord.INDEXED_HEADER, true)).build();
            out.publish("", queue, properties, task.getBytes(StandardCharsets.UTF_8));
        }
        out.confirm(PATIENCE.toMillis());
    }

    /** Says a refusal in words (a least-privilege user's, at every start), anything else as it is. */
    private static String why(Exception e) {
        if (TopologyDeclarer.replyCode(e) == AMQP.ACCESS_REFUSED) {
            return "this broker user may not declare a scratch queue or publish to it";
        }
        return e.toString();
    }

    /** Closes the slot (its guardian ends with it), then deletes the scratch queues. */
    private static void close(Slot slot, Channel setup, List<String> scratch) {
        try {
            if (slot != null) {
                slot.close(new StopDeadline(Instant.now().plus(PATIENCE), () -> false));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (setup != null && setup.isOpen()) {
                // exclusive queues would go only with the connection, and the worker's lives on
                for (String queue : scratch) {
                    setup.queueDelete(queue);
                }
                setup.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debug("closing the rehearsal's channel: {}", e.toString());
        }
    }

    /** Counts the tasks whose outcome event reached the sink. */
    private static final class Outcomes extends DefaultConsumer {
        private final Map<String, String> byTask = new ConcurrentHashMap<>();
        private final CountDownLatch all = new CountDownLatch(TASKS);

        Outcomes(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            String type = properties.getType();
            if (type != null && !type.equals(EventType.STARTED.wire()) && properties.getMessageId() != null
                    && byTask.putIfAbsent(properties.getMessageId(), type) == null) {
                all.countDown();
            }
        }
    }
}
