package org.dp3q.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.dp3q.broker.topology.Topology;

/**
 * What makes two copies of a task the same run: tool, args, env, workdir, pool and limits, with defaults filled,
 * written as canonical JSON (keys sorted, no spaces, as Python's {@code json.dumps(sort_keys=True,
 * separators=(",", ":"), ensure_ascii=False)}) and hashed with SHA-256. Recorded in {@code submitted} events;
 * {@code docs/design/batch-reads.md} gives the same recipe for other languages.
 */
public final class TaskDigest {
    /** One per thread: looking the algorithm up costs more than hashing a task. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(TaskDigest::sha256);

    private TaskDigest() {
    }

    /** {@code sha256:<hex>} of the run-defining fields of {@code task} (a task message as JSON). */
    public static String of(JsonNode task) {
        // the fields in sorted order, written straight out: submit digests every task it publishes
        StringBuilder text = new StringBuilder(256).append('{');
        field("args", task.get("args"), "[]", text).append(',');
        field("env", task.get("env"), "{}", text).append(',');
        field("expected_s", task.get("expected_s"), "null", text).append(',');
        field("max_attempts", task.get("max_attempts"), "1", text).append(',');
        field("pool", task.get("pool"), '"' + Topology.DEFAULT_POOL + '"', text).append(',');
        field("timeout_s", task.get("timeout_s"), "null", text).append(',');
        field("tool", task.get("tool"), '"' + Task.DEFAULT_TOOL + '"', text).append(',');
        field("workdir", task.get("workdir"), "null", text).append('}');
        return "sha256:" + HexFormat.of().formatHex(SHA256.get().digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code "name":value}, the value written as given, or {@code absent} (already JSON) when missing or null. */
    private static StringBuilder field(String name, JsonNode value, String absent, StringBuilder out) {
        out.append('"').append(name).append("\":");
        if (value == null || value.isNull()) {
            return out.append(absent);
        }
        write(value, out);
        return out;
    }

    static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                sorted.put(field.getKey(), field.getValue());
            }
            out.append('{');
            String comma = "";
            for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
                out.append(comma);
                string(field.getKey(), out);
                out.append(':');
                write(field.getValue(), out);
                comma = ",";
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            string(node.asText(), out);
        } else if (node.isIntegralNumber() || node.isBoolean() || node.isNull()) {
            // as JSON writes them; the mapper's own writing (below) sets up a generator per value
            out.append(node.asText());
        } else {
            out.append(node.toString());
        }
    }

    private static void string(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
