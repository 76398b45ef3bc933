package org.dp3q.cli.submit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.dp3q.cli.submit.TaskBatch.NumberedTask;
import org.dp3q.codec.Json;
import org.dp3q.task.Task;

/**
 * Makes N DP3 time-chunk tasks: chunk i reads {@code msin.starttimeslot=S+i*K msin.ntimes=K}, and
 * {@code {chunk}} inside any argument becomes the chunk number (e.g. {@code solve.h5parm=out_{chunk}.h5}).
 */
public record ChunkGenerator(String batch, int chunks, int ntimes, int firstSlot, List<String> args, String tool,
                             String pool, String workdir, Map<String, String> env, Integer timeoutS,
                             Integer maxAttempts) {
    public static final String CHUNK_PLACEHOLDER = "{chunk}";

    /** In chunk order; made on every core, since a batch may hold a hundred thousand chunks. */
    public List<NumberedTask> generate() {
        return IntStream.range(0, chunks).parallel().mapToObj(i -> new NumberedTask(i + 1, task(i))).toList();
    }

    private ObjectNode task(int chunk) {
        ObjectNode task = Json.MAPPER.createObjectNode();
        task.put("schema", Task.SCHEMA);
        task.put("batch", batch);
        task.put("chunk", chunk);
        task.put("chunks", chunks);
        if (pool != null) {
            task.put("pool", pool);
        }
        task.put("tool", tool == null ? Task.DEFAULT_TOOL : tool);
        ArrayNode argv = task.putArray("args");
        String chunkText = Integer.toString(chunk);
        for (String arg : args) {
            argv.add(arg.replace(CHUNK_PLACEHOLDER, chunkText));
        }
        argv.add("msin.starttimeslot=" + ((long) firstSlot + (long) chunk * ntimes));
        argv.add("msin.ntimes=" + ntimes);
        if (workdir != null) {
            task.put("workdir", workdir);
        }
        if (env != null && !env.isEmpty()) {
            ObjectNode envNode = task.putObject("env");
            env.forEach(envNode::put);
        }
        if (timeoutS != null) {
            task.put("timeout_s", timeoutS);
        }
        if (maxAttempts != null) {
            task.put("max_attempts", maxAttempts);
        }
        return task;
    }
}
