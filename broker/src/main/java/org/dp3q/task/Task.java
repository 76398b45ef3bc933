package org.dp3q.task;

import java.util.List;
import java.util.Map;
import org.dp3q.broker.topology.Topology;

/** A validated task message (see {@code schemas/task.schema.json}); defaults applied by the accessors. */
public record Task(
        String schema,
        String id,
        String batch,
        int chunk,
        Integer chunks,
        String pool,
        String tool,
        List<String> args,
        String workdir,
        Map<String, String> env,
        Integer timeoutS,
        Integer expectedS,
        Integer maxAttempts,
        List<String> outputs,
        Boolean skipIfOutputsExist,
        Map<String, String> labels,
        String submittedAt) {

    public static final String SCHEMA = "dp3q.task/1";
    public static final String DEFAULT_TOOL = "DP3";

    public static String defaultId(String batch, long chunk) {
        return batch + "/" + chunk;
    }

    public String taskId() {
        return id != null ? id : defaultId(batch, chunk);
    }

    public String poolOrDefault() {
        return pool != null ? pool : Topology.DEFAULT_POOL;
    }

    public String toolOrDefault() {
        return tool != null ? tool : DEFAULT_TOOL;
    }

    /** How long a run may take at most ({@code timeout_s}), else how long it is expected to ({@code expected_s}); null: unknown. */
    public Integer boundS() {
        return timeoutS != null ? timeoutS : expectedS;
    }

    public int maxAttemptsOrDefault() {
        return maxAttempts != null ? maxAttempts : 1;
    }

    public Map<String, String> envOrEmpty() {
        return env != null ? env : Map.of();
    }

    public List<String> outputsOrEmpty() {
        return outputs != null ? outputs : List.of();
    }

    public boolean skipsWhenOutputsExist() {
        return Boolean.TRUE.equals(skipIfOutputsExist) && outputs != null && !outputs.isEmpty();
    }
}
