package org.dp3q.cli.submit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import org.dp3q.batch.IndexRecord;
import org.dp3q.broker.publish.ConfirmedPublisher;
import org.dp3q.broker.publish.PublishResult;
import org.dp3q.broker.topology.Topology;
import org.dp3q.cli.submit.TaskBatch.NumberedTask;
import org.dp3q.codec.Json;
import java.util.HashSet;
import java.util.Set;
import org.dp3q.event.AcceptedRecord;
import org.dp3q.event.Event;
import org.dp3q.event.EventPublisher;
import org.dp3q.event.EventRecord;
import org.dp3q.event.EventType;
import org.dp3q.task.TaskDigest;
import org.dp3q.task.TaskIdentity;

/**
 * Publishes a prepared batch: one {@code submitted} event per task and the task itself (persistent, mandatory,
 * confirmed, many in flight). A task goes out only once the broker has recorded its event, so whatever a worker
 * records about it follows its {@code submitted} in the stream. The index records of new batches go out with the
 * first block's events, confirmed in the same round trip, so no task goes out before its batch is indexed either.
 * Events are recorded a block of tasks at a time, one stream record per block ({@link EventRecord}), on a thread and
 * channel of their own, while the tasks of the blocks already recorded are published; that thread also writes each
 * block's task messages while the broker records its events, so the publishing thread only sends them. When a
 * block's events are not recorded, its tasks and all later ones are not published; submit then exits 3, and running
 * it again is safe, since task ids are stable.
 */
public final class TaskPublisher {
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(60);
    /** Tasks per event record: large enough that records cost the broker little. */
    static final int BLOCK = 1000;
    /**
     * Tasks of the first record: few, so that the first chunks start while the rest are recorded. Its events are the
     * first this JVM builds, digests and writes, before anything is compiled: 400 of them in one record held the first
     * start back by their building and confirm, and 50 still by 15-27 ms, 10 by 6-10 ms.
     */
    static final int FIRST_BLOCK = 10;
    /** Each record holds up to this many times the tasks of the one before, up to {@link #BLOCK}: 10, 100, 1000. */
    static final int GROWTH = 10;

    private final Connection connection;

    public TaskPublisher(Connection connection) {
        this.connection = connection;
    }

    /** The outcome of publishing: tasks not accepted by the broker, and events not recorded. */
    public record Report(PublishResult tasks, PublishResult events) {
        public boolean allAccepted() {
            return tasks.allAccepted() && events.allAccepted();
        }
    }

    /** A task's message, written before it is due. */
    private record Message(String pool, AMQP.BasicProperties properties, byte[] body) {
        static Message of(NumberedTask task) {
            return new Message(task.pool(), taskProperties(task), Json.bytes(task.task()));
        }
    }

    /**
     * The messages of a block of tasks whose events are recorded, or the end: after the last block, or after events
     * were refused.
     */
    private record Recorded(List<Message> messages, boolean end) {
        static final Recorded END = new Recorded(List.of(), true);
    }

    public Report publish(TaskBatch batch, List<IndexRecord> opened) throws IOException, InterruptedException {
        List<List<NumberedTask>> blocks = blocks(batch.tasks());
        BlockingQueue<Recorded> recorded = new LinkedBlockingQueue<>();
        ExecutorService eventThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "submit-events");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<PublishResult> events = eventThread.submit(() -> recordEvents(opened, blocks, recorded));
            int published = 0;
            PublishResult tasks;
            try (ConfirmedPublisher publisher = new ConfirmedPublisher(connection, ConfirmedPublisher.DEFAULT_WINDOW)) {
                for (Recorded block = recorded.take(); !block.end(); block = recorded.take()) {
                    for (Message message : block.messages()) {
                        publisher.publish(Topology.TASKS_EXCHANGE, message.pool(), message.properties(), message.body());
                    }
                    published += block.messages().size();
                }
                tasks = publisher.await(CONFIRM_TIMEOUT);
            }
            tasks = withUnpublished(tasks, batch.tasks().subList(published, batch.tasks().size()));
            PublishResult eventsResult = events.get();
            if (eventsResult.allAccepted()) {
                eventsResult = recordAccepted(batch.tasks(), tasks);
            }
            return new Report(tasks, eventsResult);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            eventThread.shutdownNow();
        }
    }

    private PublishResult recordEvents(List<IndexRecord> opened, List<List<NumberedTask>> blocks,
                                       BlockingQueue<Recorded> recorded) throws IOException, InterruptedException {
        try (ConfirmedPublisher publisher = new ConfirmedPublisher(connection, ConfirmedPublisher.DEFAULT_WINDOW)) {
            PublishResult result = new PublishResult(List.of(), List.of());
            for (IndexRecord index : opened) {
                publisher.publish(Topology.BATCHES_EXCHANGE, Topology.BATCHES_STREAM, index.properties(), Json.bytes(index));
            }
            for (List<NumberedTask> block : blocks) {
                EventRecord submitted = EventRecord.of(block.stream()
                        .map(task -> Event.of(EventType.SUBMITTED, identity(task)).pool(task.pool())
                                .digest(TaskDigest.of(task.task())).build()).toList());
                publisher.publish(Topology.EVENTS_EXCHANGE, Topology.EVENTS_STREAM, submitted.properties(), submitted.body());
                // written while the broker records the events, not on the thread that publishes the tasks
                List<Message> messages = block.stream().map(Message::of).toList();
                result = publisher.await(CONFIRM_TIMEOUT);
                if (!result.allAccepted()) {
                    break;
                }
                recorded.put(new Recorded(messages, false));
            }
            return result;
        } finally {
            recorded.put(Recorded.END);
        }
    }

    /**
     * Records, per block, which tasks the broker confirmed ({@link AcceptedRecord}): a task recorded submitted without
     * it was never confirmed, and the same submit run again publishes it.
     */
    private PublishResult recordAccepted(List<NumberedTask> all, PublishResult tasks) throws IOException, InterruptedException {
        Set<String> notAccepted = new HashSet<>(notAccepted(tasks));
        try (ConfirmedPublisher publisher = new ConfirmedPublisher(connection, ConfirmedPublisher.DEFAULT_WINDOW)) {
            for (List<NumberedTask> block : blocks(all)) {
                List<String> ids = block.stream().map(NumberedTask::id).filter(id -> !notAccepted.contains(id)).toList();
                if (!ids.isEmpty()) {
                    AcceptedRecord accepted = AcceptedRecord.of(block.get(0).batch(), ids);
                    publisher.publish(Topology.EVENTS_EXCHANGE, Topology.EVENTS_STREAM,
                            accepted.properties().builder().messageId(ids.get(0)).build(), Json.bytes(accepted));
                }
            }
            return publisher.await(CONFIRM_TIMEOUT);
        }
    }

    /**
     * Runs of tasks of one batch, in input order: the first at most {@link #FIRST_BLOCK}, each next one at most
     * {@link #GROWTH} times as many, none more than {@link #BLOCK}.
     */
    static List<List<NumberedTask>> blocks(List<NumberedTask> tasks) {
        List<List<NumberedTask>> blocks = new ArrayList<>();
        int from = 0;
        int most = FIRST_BLOCK;
        for (int i = 1; i <= tasks.size(); i++) {
            if (i == tasks.size() || i - from == most || !tasks.get(i).batch().equals(tasks.get(from).batch())) {
                blocks.add(tasks.subList(from, i));
                from = i;
                most = Math.min(BLOCK, most * GROWTH);
            }
        }
        return blocks;
    }

    /** Tasks held back because their events were not recorded (blocks go out in order: the tail) count as not confirmed. */
    private static PublishResult withUnpublished(PublishResult tasks, List<NumberedTask> unpublished) {
        if (unpublished.isEmpty()) {
            return tasks;
        }
        List<String> notConfirmed = new ArrayList<>(tasks.notConfirmed());
        unpublished.forEach(task -> notConfirmed.add(task.id()));
        return new PublishResult(List.copyOf(notConfirmed), tasks.unroutable());
    }

    private static TaskIdentity identity(NumberedTask task) {
        return new TaskIdentity(task.id(), task.batch(), task.task().get("chunk").asInt(), task.task().get("chunks").asInt());
    }

    private static AMQP.BasicProperties taskProperties(NumberedTask task) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .messageId(task.id())
                .headers(Map.of(EventPublisher.BATCH_HEADER, task.batch(), org.dp3q.batch.IndexRecord.INDEXED_HEADER, true))
                .build();
    }

    public static List<String> notAccepted(PublishResult result) {
        return java.util.stream.Stream.concat(result.notConfirmed().stream(), result.unroutable().stream()).toList();
    }
}
