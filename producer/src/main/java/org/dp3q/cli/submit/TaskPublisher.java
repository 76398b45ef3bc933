package org.dp3q.cli.submit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.dp3q.broker.publish.ConfirmedPublisher;
import org.dp3q.broker.publish.PublishResult;
import org.dp3q.broker.topology.Topology;
import org.dp3q.cli.submit.TaskBatch.NumberedTask;
import org.dp3q.codec.Json;
import org.dp3q.event.Event;
import org.dp3q.event.EventPublisher;
import org.dp3q.event.EventType;
import org.dp3q.task.TaskIdentity;

/**
 * Publishes a prepared batch: one {@code submitted} event per task, then the tasks themselves (persistent,
 * mandatory, confirmed, many in flight). A task that was not accepted leaves a {@code submitted} event behind;
 * submit then exits 3 and running it again is safe, since task ids are stable.
 */
public final class TaskPublisher {
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(60);

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

    public Report publish(TaskBatch batch) throws IOException, InterruptedException {
        // events first: any event a worker records about a task then follows its 'submitted' in the stream
        PublishResult events;
        try (ConfirmedPublisher publisher = new ConfirmedPublisher(connection, ConfirmedPublisher.DEFAULT_WINDOW)) {
            for (NumberedTask task : batch.tasks()) {
                Event submitted = Event.of(EventType.SUBMITTED, identity(task)).pool(task.pool()).build();
                publisher.publish(Topology.EVENTS_EXCHANGE, Topology.EVENTS_STREAM, EventPublisher.properties(submitted), Json.bytes(submitted));
            }
            events = publisher.await(CONFIRM_TIMEOUT);
        }
        if (!events.allAccepted()) {
            return new Report(new PublishResult(batch.tasks().stream().map(NumberedTask::id).toList(), List.of()), events);
        }
        PublishResult tasks;
        try (ConfirmedPublisher publisher = new ConfirmedPublisher(connection, ConfirmedPublisher.DEFAULT_WINDOW)) {
            for (NumberedTask task : batch.tasks()) {
                publisher.publish(Topology.TASKS_EXCHANGE, task.pool(), taskProperties(task), Json.bytes(task.task()));
            }
            tasks = publisher.await(CONFIRM_TIMEOUT);
        }
        return new Report(tasks, events);
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
                .headers(Map.of(EventPublisher.BATCH_HEADER, task.batch()))
                .build();
    }

    public static List<String> notAccepted(PublishResult result) {
        return java.util.stream.Stream.concat(result.notConfirmed().stream(), result.unroutable().stream()).toList();
    }
}
