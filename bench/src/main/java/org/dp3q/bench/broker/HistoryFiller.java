package org.dp3q.bench.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.dp3q.batch.BatchIndex;
import org.dp3q.batch.IndexRecord;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.event.Event;
import org.dp3q.event.EventPublisher;
import org.dp3q.event.EventRecord;
import org.dp3q.event.EventType;
import org.dp3q.event.WorkerRef;
import org.dp3q.task.TaskIdentity;

/**
 * Fills a vhost's event stream with the history of earlier batches, as a week at a busy site leaves it: per batch
 * one index record, one record of its {@code submitted} events, then a {@code started} and a {@code succeeded}
 * record per task. Published with confirms, thousands in flight.
 */
public final class HistoryFiller {
    public static final int TASKS_PER_BATCH = 50;
    private static final int IN_FLIGHT = 5000;

    private HistoryFiller() {
    }

    /** Appends about {@code records} event records; returns how many it appended. */
    public static long fill(Connection connection, long records) throws IOException, InterruptedException {
        long written = 0;
        long offset = 0;
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int b = 0; written < records; b++) {
                String batch = "history-" + b;
                BatchIndex.publish(channel, IndexRecord.of(batch, offset, IndexRecord.BY_SUBMIT));
                List<Event> submitted = new ArrayList<>();
                for (int t = 0; t < TASKS_PER_BATCH; t++) {
                    submitted.add(Event.of(EventType.SUBMITTED, id(batch, t)).pool(Topology.DEFAULT_POOL).build());
                }
                EventRecord record = EventRecord.of(submitted);
                channel.basicPublish(Topology.EVENTS_EXCHANGE, Topology.EVENTS_STREAM, record.properties(), record.body());
                written++;
                for (int t = 0; t < TASKS_PER_BATCH && written < records; t++) {
                    WorkerRef worker = new WorkerRef("node" + (t % 8), 1000L + t % 8, t % 4, "node" + (t % 8));
                    publish(channel, Event.of(EventType.STARTED, id(batch, t)).attempt(1).worker(worker)
                            .pool(Topology.DEFAULT_POOL).log("/scratch/dp3q-logs/" + batch + "/" + t + ".log").build());
                    publish(channel, Event.of(EventType.SUCCEEDED, id(batch, t)).attempt(1).worker(worker)
                            .pool(Topology.DEFAULT_POOL).exitCode(0).durationMs(40_000).cpuMs(600_000L)
                            .maxRssKb(4_000_000L).log("/scratch/dp3q-logs/" + batch + "/" + t + ".log").build());
                    written += 2;
                    if (written % IN_FLIGHT < 2) {
                        channel.waitForConfirmsOrDie(120_000);
                    }
                }
                offset = written;
            }
            channel.waitForConfirmsOrDie(120_000);
        } catch (TimeoutException e) {
            throw new IOException("the broker did not confirm the history records in time", e);
        }
        return written;
    }

    private static void publish(Channel channel, Event event) throws IOException {
        AMQP.BasicProperties properties = EventPublisher.properties(event);
        channel.basicPublish(Topology.EVENTS_EXCHANGE, Topology.EVENTS_STREAM, properties, Json.bytes(event));
    }

    private static TaskIdentity id(String batch, int chunk) {
        return new TaskIdentity(batch + "/" + chunk, batch, chunk, TASKS_PER_BATCH);
    }
}
