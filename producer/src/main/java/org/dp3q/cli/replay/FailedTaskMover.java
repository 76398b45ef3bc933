package org.dp3q.cli.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.event.Event;
import org.dp3q.event.EventPublisher;
import org.dp3q.task.AttemptHeaders;
import org.dp3q.event.EventType;
import org.dp3q.failed.FailedRecord;
import org.dp3q.task.TaskIdentity;

/**
 * Moves failed tasks back to their pool's queue, one at a time and in this order: record {@code replayed},
 * republish the task (both confirmed), only then remove the failed record. Killed at any moment, a task is
 * in the failed queue, in its task queue, or for an instant in both; never in neither.
 */
final class FailedTaskMover implements AutoCloseable {
    private static final long CONFIRM_TIMEOUT_MS = 30_000;

    private final Channel reading;
    private final Channel publishing;

    /** What happened to one selected record. */
    record Moved(FailedRecord record, String pool, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    FailedTaskMover(Connection connection) throws IOException {
        this.reading = connection.createChannel();
        this.publishing = connection.createChannel();
        publishing.confirmSelect();
    }

    /**
     * Walks the failed queue once, over the records it holds when the walk starts. Selected records are moved ({@code dryRun}: only listed); the others
     * stay unacked until the reading channel closes, which hands them back in their order.
     */
    List<Moved> move(ReplaySelection selection, Integer newTimeoutS, boolean dryRun)
            throws IOException, InterruptedException, TimeoutException {
        List<Moved> moved = new ArrayList<>();
        // only the records there now: a replayed task that fails again at once lands behind them and must not be
        // replayed a second time by this same walk
        long present = reading.queueDeclarePassive(Topology.FAILED_QUEUE).getMessageCount();
        GetResponse response;
        for (long seen = 0; seen < present && (response = reading.basicGet(Topology.FAILED_QUEUE, false)) != null; seen++) {
            FailedRecord record = FailedRecord.read(response.getProps(), response.getBody());
            if (!selection.matches(record)) {
                continue;
            }
            String pool = record.pool() != null ? record.pool() : Topology.DEFAULT_POOL;
            if (dryRun) {
                moved.add(new Moved(record, pool, null));
                continue;
            }
            byte[] body;
            try {
                body = newTimeoutS == null ? response.getBody() : withTimeout(response.getBody(), newTimeoutS);
            } catch (IllegalArgumentException e) {
                moved.add(new Moved(record, pool, e.getMessage()));
                continue;
            }
            Event replayed = Event.of(EventType.REPLAYED, new TaskIdentity(record.taskId(),
                    record.batch() == null ? TaskIdentity.UNKNOWN_BATCH : record.batch(), record.chunk(), null))
                    .pool(pool).message("replayed from " + Topology.FAILED_QUEUE).build();
            EventPublisher.publish(publishing, replayed);
            publishing.basicPublish(Topology.TASKS_EXCHANGE, pool, true, taskProperties(response.getProps()), body);
            publishing.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
            reading.basicAck(response.getEnvelope().getDeliveryTag(), false);
            moved.add(new Moved(record, pool, null));
        }
        return moved;
    }

    /** The original properties without the failure stamps: a replayed task starts a fresh attempt budget. */
    private static AMQP.BasicProperties taskProperties(AMQP.BasicProperties failed) {
        Map<String, Object> headers = new HashMap<>();
        if (failed.getHeaders() != null) {
            failed.getHeaders().forEach((name, value) -> {
                if (!name.startsWith("dp3q-") || name.equals(EventPublisher.BATCH_HEADER)) {
                    headers.put(name, value);
                }
            });
        }
        headers.remove("x-delivery-count");
        headers.remove("x-death");
        headers.remove("x-first-death-exchange");
        headers.remove("x-first-death-queue");
        headers.remove("x-first-death-reason");
        headers.put(AttemptHeaders.REPLAY, java.util.UUID.randomUUID().toString());
        return failed.builder().headers(headers).deliveryMode(2).build();
    }

    private static byte[] withTimeout(byte[] body, int timeoutS) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            node = null;
        }
        if (!(node instanceof ObjectNode task)) {
            throw new IllegalArgumentException("its body is not a JSON task, so --set-timeout cannot apply; left in "
                    + Topology.FAILED_QUEUE);
        }
        task.put("timeout_s", timeoutS);
        return Json.bytes(task);
    }

    @Override
    public void close() {
        for (Channel channel : List.of(publishing, reading)) {
            try {
                if (channel.isOpen()) {
                    channel.close();
                }
            } catch (IOException | TimeoutException | RuntimeException ignored) {
                // closing hands unacked records back to the failed queue either way
            }
        }
    }

}
