package org.dp3q.cli.status;

import java.util.List;
import java.util.Map;

/** What keeps a worker from taking tasks, as it announced it: a quarantine, slots that cannot consume. */
final class WorkerProblems {
    private WorkerProblems() {
    }

    static void print(WorkerRoster.Seen seen) {
        var last = seen.last();
        List<Integer> notConsuming = last.notConsuming() == null ? List.of() : last.notConsuming();
        if (last.reason() == null && notConsuming.isEmpty()) {
            return;
        }
        System.out.println("    " + last.tag() + " (pid " + last.pid() + ")"
                + (notConsuming.isEmpty() ? "" : ": slot(s) " + notConsuming + " not consuming")
                + (last.reason() == null ? "" : ": " + last.reason()));
    }

    static Map<String, Object> withProblems(Map<String, Object> worker, WorkerRoster.Seen seen) {
        if (seen.last().reason() != null) {
            worker.put("reason", seen.last().reason());
        }
        if (seen.last().notConsuming() != null && !seen.last().notConsuming().isEmpty()) {
            worker.put("not_consuming", seen.last().notConsuming());
        }
        return worker;
    }
}
