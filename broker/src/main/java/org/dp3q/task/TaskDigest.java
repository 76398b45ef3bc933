package org.dp3q.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TaskDigest() {
    }

    /** {@code sha256:<hex>} of the run-defining fields of {@code task} (a task message as JSON). */
    public static String of(JsonNode task) {
        ObjectNode fields = NODES.objectNode();
        fields.set("tool", orDefault(task.get("tool"), NODES.textNode(Task.DEFAULT_TOOL)));
        fields.set("args", orDefault(task.get("args"), NODES.arrayNode()));
        fields.set("env", orDefault(task.get("env"), NODES.objectNode()));
        fields.set("workdir", orDefault(task.get("workdir"), NODES.nullNode()));
        fields.set("pool", orDefault(task.get("pool"), NODES.textNode(Topology.DEFAULT_POOL)));
        fields.set("timeout_s", orDefault(task.get("timeout_s"), NODES.nullNode()));
        fields.set("max_attempts", orDefault(task.get("max_attempts"), NODES.numberNode(1)));
        fields.set("expected_s", orDefault(task.get("expected_s"), NODES.nullNode()));
        StringBuilder text = new StringBuilder();
        write(fields, text);
        return "sha256:" + HexFormat.of().formatHex(sha256(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode orDefault(JsonNode value, JsonNode fallback) {
        return value == null || value.isNull() ? fallback : value;
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

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
