package org.dp3q.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The rules of {@code task.schema.json} written out for the shape publishers send, so that a task which plainly
 * follows the schema is known valid in microseconds, without the schema validator: setting that up costs a
 * command a tenth of a second, and checking one task with it costs a worker a fifth of a millisecond.
 * It says yes only where the schema would. Whatever it is unsure of (a number written {@code 1.0}, a date-time in
 * a rarer form, a field it does not know) it leaves to the validator, which also words every problem.
 * {@code TaskShapeTest} holds it to the schema on the examples and on thousands of generated variants; a change
 * to the schema needs the same change here.
 */
final class TaskShape {
    private static final String ID_MARKS = "._:/-";
    private static final String BATCH_MARKS = "._:-";
    private static final String POOL_MARKS = "._-";
    private static final String TOOL_MARKS = "._+-";

    private TaskShape() {
    }

    /** True only when the schema accepts {@code node}; false when it does not, or when that takes the validator to say. */
    static boolean plainlyValid(JsonNode node) {
        if (node == null || !node.isObject()
                || !node.has("schema") || !node.has("batch") || !node.has("chunk") || !node.has("args")) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!plainlyValid(field.getKey(), field.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean plainlyValid(String name, JsonNode value) {
        return switch (name) {
            case "schema" -> value.isTextual() && Task.SCHEMA.equals(value.textValue());
            case "id" -> word(value, ID_MARKS, 200);
            case "batch" -> word(value, BATCH_MARKS, 128);
            case "pool" -> word(value, POOL_MARKS, 64);
            case "tool" -> word(value, TOOL_MARKS, 64);
            case "chunk" -> atLeast(value, 0);
            case "chunks", "timeout_s", "expected_s", "max_attempts" -> atLeast(value, 1);
            case "args" -> everyElement(value, TaskShape::withoutNul);
            case "outputs" -> everyElement(value, item -> item.isTextual() && !item.textValue().isEmpty());
            case "workdir" -> withoutNul(value) && value.textValue().startsWith("/");
            case "env" -> everyField(value, TaskShape::environmentName, TaskShape::withoutNul);
            case "labels" -> everyField(value, key -> true, JsonNode::isTextual);
            case "skip_if_outputs_exist" -> value.isBoolean();
            case "submitted_at" -> value.isTextual() && plainDateTime(value.textValue());
            default -> name.startsWith("x-");
        };
    }

    /** A string of 1 to {@code max} ASCII letters, digits and {@code marks}. */
    private static boolean word(JsonNode value, String marks, int max) {
        if (!value.isTextual()) {
            return false;
        }
        String text = value.textValue();
        if (text.isEmpty() || text.length() > max) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!asciiLetter(c) && !asciiDigit(c) && marks.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** An integer written as one (not {@code 1.0}, not {@code 1e3}) of at least {@code min}. */
    private static boolean atLeast(JsonNode value, long min) {
        return value.isIntegralNumber() && value.bigIntegerValue().compareTo(BigInteger.valueOf(min)) >= 0;
    }

    private static boolean withoutNul(JsonNode value) {
        return value.isTextual() && value.textValue().indexOf('\u0000') < 0;
    }

    private static boolean environmentName(String name) {
        if (name.isEmpty() || asciiDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!asciiLetter(c) && !asciiDigit(c) && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean everyElement(JsonNode value, Predicate<JsonNode> element) {
        if (!value.isArray()) {
            return false;
        }
        for (JsonNode item : value) {
            if (!element.test(item)) {
                return false;
            }
        }
        return true;
    }

    private static boolean everyField(JsonNode value, Predicate<String> key,
                                      Predicate<JsonNode> field) {
        if (!value.isObject()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (!key.test(entry.getKey()) || !field.test(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The form publishers write ({@code 2026-12-04T19:05:01.123456Z}, or an offset {@code +01:00} for the zone):
     * RFC 3339 with an upper-case T, at most nine digits of fraction and a real date, hour, minute and second.
     */
    static boolean plainDateTime(String text) {
        int length = text.length();
        boolean zulu = text.endsWith("Z");
        int zone = zulu ? length - 1 : length - 6;
        if (zone < 19 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 7) || text.charAt(7) != '-'
                || !digits(text, 8, 10) || text.charAt(10) != 'T' || !digits(text, 11, 13) || text.charAt(13) != ':'
                || !digits(text, 14, 16) || text.charAt(16) != ':' || !digits(text, 17, 19)) {
            return false;
        }
        if (zone > 19 && (text.charAt(19) != '.' || zone - 20 < 1 || zone - 20 > 9 || !digits(text, 20, zone))) {
            return false;
        }
        if (!zulu && !plainOffset(text, zone)) {
            return false;
        }
        int year = number(text, 0, 4);
        if (year < 1000 || number(text, 11, 13) > 23 || number(text, 14, 16) > 59 || number(text, 17, 19) > 59) {
            return false;
        }
        try {
            LocalDate.of(year, number(text, 5, 7), number(text, 8, 10));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean plainOffset(String text, int zone) {
        char sign = text.charAt(zone);
        return (sign == '+' || sign == '-') && digits(text, zone + 1, zone + 3) && text.charAt(zone + 3) == ':'
                && digits(text, zone + 4, zone + 6)
                && number(text, zone + 1, zone + 3) <= 23 && number(text, zone + 4, zone + 6) <= 59;
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!asciiDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int from, int to) {
        return Integer.parseInt(text, from, to, 10);
    }

    private static boolean asciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean asciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
