package org.dp3q.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dp3q.broker.stream.CaughtUpRead;

/** What a test reads of the workers' claims: which tasks have been claimed so far (docs/design/claims.md). */
public final class ClaimsStream {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClaimsStream() {
    }

    /** True when every one of {@code taskIds} has a claim record in {@code dp3q.claims}. */
    public static boolean claimed(Connection connection, String... taskIds) throws IOException, InterruptedException {
        return claimedTasks(connection).containsAll(List.of(taskIds));
    }

    /** The tasks that have a claim record in {@code dp3q.claims}. */
    public static Set<String> claimedTasks(Connection connection) throws IOException, InterruptedException {
        Set<String> seen = new HashSet<>();
        CaughtUpRead.read(connection, "dp3q.claims", "first", record -> {
            if (record.isMarker()) {
                return;
            }
            try {
                JsonNode claim = MAPPER.readTree(record.body());
                if ("claim".equals(claim.path("kind").asText())) {
                    seen.add(claim.path("task").asText());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return seen;
    }
}
