package org.dp3q.failed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.event.WorkerRef;
import org.dp3q.task.TaskIdentity;
import org.junit.jupiter.api.Test;

class FailedRecordTest {
    private static final String BODY = "{\"schema\":\"dp3q.task/1\",\"batch\":\"cal\",\"chunk\":4,\"args\":[\"msin=obs.ms\"]}";

    private static Event failure() {
        return Event.of(EventType.FAILED, new TaskIdentity("cal/4", "cal", 4, 10))
                .attempt(2).time(Instant.parse("2026-11-26T06:10:00Z"))
                .worker(new WorkerRef("node01", 4242L, 0, "node01"))
                .exitCode(1).durationMs(41_000).log("/scratch/logs/cal/4.attempt2.log")
                .stderrTail("Error: cannot open sky model").reason(Reason.EXIT).message("exited with code 1")
                .build();
    }

    private static AMQP.BasicProperties original() {
        return new AMQP.BasicProperties.Builder().contentType("application/json").messageId("cal/4")
                .headers(Map.of("dp3q-batch", "cal", "x-trace", "abc")).build();
    }

    @Test
    void a_failed_record_reads_back_what_was_written() {
        AMQP.BasicProperties properties = FailedRecord.properties(original(), failure(), "highmem");

        FailedRecord record = FailedRecord.read(properties, BODY.getBytes(StandardCharsets.UTF_8));

        assertEquals(new FailedRecord("cal/4", "cal", 4, "highmem", "exit", "exited with code 1", 1, null, 2, 1, 0, "node01",
                "/scratch/logs/cal/4.attempt2.log", "Error: cannot open sky model", "2026-11-26T06:10:00Z", BODY), record);
    }

    @Test
    void the_record_is_persistent_keeps_the_message_id_and_the_original_headers() {
        AMQP.BasicProperties properties = FailedRecord.properties(original(), failure(), "default");

        assertEquals(2, properties.getDeliveryMode());
        assertEquals("cal/4", properties.getMessageId());
        assertEquals("application/json", properties.getContentType());
        assertEquals("abc", properties.getHeaders().get("x-trace"));
        assertEquals("delivery-limit", FailedRecord.properties(null,
                Event.of(EventType.FAILED, new TaskIdentity("x", "b", 0, null)).reason(Reason.DELIVERY_LIMIT).build(),
                "default").getHeaders().get(FailureHeaders.REASON));
    }

    @Test
    void absent_details_are_not_written_as_headers() {
        Event bare = Event.of(EventType.FAILED, new TaskIdentity("unidentified", "unknown", null, null))
                .reason(Reason.INVALID).message("the message is not JSON").build();

        AMQP.BasicProperties properties = FailedRecord.properties(null, bare, "default");

        assertFalse(properties.getHeaders().containsKey(FailureHeaders.CHUNK));
        assertFalse(properties.getHeaders().containsKey(FailureHeaders.EXIT_CODE));
        assertFalse(properties.getHeaders().containsKey(FailureHeaders.WORKER_HOST));
        assertEquals("application/json", properties.getContentType());
    }

    @Test
    void headers_as_the_broker_returns_them_are_read() {
        // the Java client hands string headers back as LongString and numbers as Integer or Long
        Map<String, Object> headers = new HashMap<>();
        headers.put(FailureHeaders.TASK_ID, LongStringHelper.asLongString("cal/4"));
        headers.put(FailureHeaders.BATCH, LongStringHelper.asLongString("cal"));
        headers.put(FailureHeaders.CHUNK, 4L);
        headers.put(FailureHeaders.SIGNAL, 9);
        headers.put(FailureHeaders.ATTEMPT, LongStringHelper.asLongString("3"));
        headers.put(FailureHeaders.REASON, LongStringHelper.asLongString("signal"));
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().headers(headers).build();

        FailedRecord record = FailedRecord.read(properties, new byte[0]);

        assertEquals("cal/4", record.taskId());
        assertEquals("cal", record.batch());
        assertEquals(4, record.chunk());
        assertEquals(9, record.signal());
        assertEquals(3, record.attempt());
        assertEquals("signal", record.reason());
        assertNull(record.exitCode());
    }

    @Test
    void without_a_task_id_header_the_message_id_names_the_task() {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId("cal/9").build();

        FailedRecord record = FailedRecord.read(properties, "not json at all".getBytes(StandardCharsets.UTF_8));

        assertEquals("cal/9", record.taskId());
        assertEquals("not json at all", record.body());
    }
}
