package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.dp3q.codec.Json;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.event.WorkerRef;
import org.dp3q.task.InvalidTaskException;
import org.dp3q.task.Task;
import org.dp3q.task.TaskCodec;
import org.dp3q.task.TaskIdentity;
import org.dp3q.worker.claim.ClaimRecord;

/**
 * Builds the JSON readers and writers of a task's life before the first slot consumes: the task's decoder, the
 * outcome event's and the claim record's writers, and a delivery's copy key. A fresh JVM built them on its first
 * task, about a tenth of a second between that chunk's delivery and its start, on every worker a batch starts on
 * (the copy key's checksum alone, set up on the first chunk: 1-20 ms, 4 workers x 1 slot on 2 cores). Nothing is
 * sent anywhere.
 */
public final class CodecWarmUp {
    /** A task with every field a submit writes (schemas/examples/task/valid-full.json). */
    private static final byte[] TASK = ("{\"schema\":\"dp3q.task/1\",\"id\":\"warm-up/0\",\"batch\":\"warm-up\",\"chunk\":0,"
            + "\"chunks\":1,\"pool\":\"default\",\"tool\":\"DP3\",\"args\":[\"msin=/data/obs.ms\"],\"workdir\":\"/work\","
            + "\"env\":{\"OMP_NUM_THREADS\":\"1\"},\"timeout_s\":60,\"max_attempts\":2,\"outputs\":[\"/work/out.h5\"],"
            + "\"skip_if_outputs_exist\":true,\"labels\":{\"step\":\"warm-up\"},\"submitted_at\":\"2026-01-01T00:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final AMQP.BasicProperties PROPERTIES = new AMQP.BasicProperties.Builder().messageId("warm-up/0")
            .headers(Map.of()).build();

    private CodecWarmUp() {
    }

    /** Decodes a task and writes its events and claims once, so a slot's first task finds them built. */
    public static void run() {
        Task task;
        try {
            task = new TaskCodec().decode(TASK, "warm-up");
        } catch (InvalidTaskException e) {
            throw new IllegalStateException("the warm-up task no longer follows task.schema.json", e);
        }
        TaskIdentity identity = TaskIdentity.of(task);
        WorkerRef worker = new WorkerRef("host", 1L, 0, "tag");
        Json.bytes(Event.of(EventType.STARTED, identity).pool("default").attempt(1).worker(worker).log("/logs/x.log")
                .time(Instant.EPOCH).build());
        Json.bytes(Event.of(EventType.FAILED, identity).pool("default").attempt(1).worker(worker).exitCode(1).signal(9)
                .durationMs(1).cpuMs(1L).maxRssKb(1L).log("/logs/x.log").stderrTail("x").reason(Reason.EXIT).message("x")
                .time(Instant.EPOCH).build());
        // a fresh delivery's name among its copies, for its claim: the checksum's first use sets up its tables
        new Delivery(null, 0, false, PROPERTIES, TASK).copyKey();
        byte[] claim = Json.bytes(new ClaimRecord(ClaimRecord.Kind.CLAIM, task.taskId(), "copy", "run", "owner", null));
        Json.read(claim, ClaimRecord.class);
    }
}
