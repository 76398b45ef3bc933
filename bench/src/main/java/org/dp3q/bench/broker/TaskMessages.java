package org.dp3q.bench.broker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import java.util.List;
import java.util.Map;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.event.Event;
import org.dp3q.event.EventPublisher;
import org.dp3q.event.EventRecord;
import org.dp3q.event.EventType;
import org.dp3q.task.Task;
import org.dp3q.task.TaskIdentity;

/**
 * Task messages exactly as the contract describes them and as {@code dp3q submit --chunks} publishes them (same
 * fields in the same order, same properties), so a publisher in the harness sends what a pipeline would.
 */
public final class TaskMessages {
    private TaskMessages() {
    }

    /** One message to publish, built before the clock starts. */
    public record Message(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
    }

    /** A task for the default pool; {@code args} is its argv after the tool. */
    public static Message task(String batch, int chunk, int chunks, List<String> args, String submittedAt) {
        ObjectNode task = Json.MAPPER.createObjectNode();
        task.put("schema", Task.SCHEMA);
        task.put("batch", batch);
        task.put("chunk", chunk);
        task.put("chunks", chunks);
        task.put("tool", Task.DEFAULT_TOOL);
        ArrayNode argv = task.putArray("args");
        args.forEach(argv::add);
        String id = Task.defaultId(batch, chunk);
        task.put("id", id);
        task.put("submitted_at", submittedAt);
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .messageId(id)
                .headers(Map.of(EventPublisher.BATCH_HEADER, batch))
                .build();
        return new Message(Topology.TASKS_EXCHANGE, Topology.DEFAULT_POOL, properties, Json.bytes(task));
    }

    /** The argv {@code dp3q submit --chunks N --ntimes K --arg ...} gives chunk i with the benchmark's --arg list. */
    public static List<String> submitArgs(int chunk, int ntimes) {
        return List.of("msin=/data/obs.ms", "steps=[solve]", "solve.h5parm=/scratch/out_" + chunk + ".h5parm",
                "msin.starttimeslot=" + (long) chunk * ntimes, "msin.ntimes=" + ntimes);
    }

    /** The {@code --arg} options of {@code dp3q submit} that produce {@link #submitArgs}. */
    public static List<String> submitArgOptions() {
        return List.of("--arg", "msin=/data/obs.ms", "--arg", "steps=[solve]",
                "--arg", "solve.h5parm=/scratch/out_{chunk}.h5parm");
    }

    /** The {@code submitted} event {@code dp3q submit} records for a task before publishing it. */
    public static Message submittedEvent(String batch, int chunk, int chunks) {
        Event submitted = Event.of(EventType.SUBMITTED,
                new TaskIdentity(Task.defaultId(batch, chunk), batch, chunk, chunks)).pool(Topology.DEFAULT_POOL).build();
        return new Message(Topology.EVENTS_EXCHANGE, Topology.EVENTS_STREAM, EventPublisher.properties(submitted),
                Json.bytes(submitted));
    }

    /** Tasks per event record, as {@code dp3q submit} records them. */
    public static final int EVENTS_PER_RECORD = 1000;

    /** The {@code submitted} events of chunks 0..chunks-1 in records of {@link #EVENTS_PER_RECORD}, as submit records them. */
    public static List<Message> submittedRecords(String batch, int chunks) {
        List<Message> records = new java.util.ArrayList<>();
        for (int from = 0; from < chunks; from += EVENTS_PER_RECORD) {
            List<Event> events = new java.util.ArrayList<>();
            for (int chunk = from; chunk < Math.min(chunks, from + EVENTS_PER_RECORD); chunk++) {
                events.add(Event.of(EventType.SUBMITTED, new TaskIdentity(Task.defaultId(batch, chunk), batch, chunk, chunks))
                        .pool(Topology.DEFAULT_POOL).build());
            }
            EventRecord record = EventRecord.of(events);
            records.add(new Message(Topology.EVENTS_EXCHANGE, Topology.EVENTS_STREAM, record.properties(), record.body()));
        }
        return records;
    }
}
