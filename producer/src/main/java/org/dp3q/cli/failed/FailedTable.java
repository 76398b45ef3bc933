package org.dp3q.cli.failed;

import java.io.PrintStream;
import java.util.List;
import org.dp3q.failed.FailedRecord;

/** The human form of {@code dp3q failed}: one block per task, the last output lines indented below it. */
final class FailedTable {
    private static final int TAIL_LINES = 5;

    private FailedTable() {
    }

    static void print(List<FailedRecord> records, PrintStream out) {
        if (records.isEmpty()) {
            out.println("no failed tasks");
            return;
        }
        out.printf("%-20s %6s %7s %-14s %-9s %-16s %s%n", "BATCH", "CHUNK", "ATTEMPT", "REASON", "EXIT/SIG", "HOST", "LOG");
        for (FailedRecord r : records) {
            String exit = r.signal() != null ? "sig " + r.signal() : r.exitCode() != null ? r.exitCode().toString() : "-";
            out.printf("%-20s %6s %7s %-14s %-9s %-16s %s%n", r.batch(), orDash(r.chunk()), orDash(r.attempt()),
                    orDash(r.reason()), exit, orDash(r.workerHost()), orDash(r.log()));
            if (r.deliveries() != null) {
                out.println("    deliveries " + r.deliveries() + ", drains " + (r.drains() == null ? 0 : r.drains())
                        + " (drains never count against the delivery limit)");
            }
            if (r.message() != null) {
                out.println("    " + r.message());
            }
            if (r.stderrTail() != null && !r.stderrTail().isBlank()) {
                List<String> lines = r.stderrTail().lines().toList();
                lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).forEach(line -> out.println("    | " + line));
            }
        }
        out.println(records.size() + " failed task(s)");
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
