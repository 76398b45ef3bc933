package org.dp3q.cli.allocate;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The allocations part of {@code dp3q status}: a table for people, a list for {@code --json}. */
public final class AllocationTable {
    private AllocationTable() {
    }

    public static void print(List<AllocationRoster.Seen> allocations, PrintStream out) {
        if (allocations.isEmpty()) {
            return;
        }
        out.println();
        out.printf("%-20s %-12s %-8s %8s %8s %8s %8s %s%n", "ALLOCATION", "POOL", "STATE", "PENDING", "RUNNING", "MAX",
                "WORKERS", "LAST SEEN");
        for (AllocationRoster.Seen seen : allocations) {
            AllocationAnnouncement a = seen.last();
            out.printf("%-20s %-12s %-8s %8d %8d %8d %8d %ss ago%n", a.name(), a.pool(), seen.state(), a.jobsPending(),
                    a.jobsRunning(), a.maxJobs(), a.workers(), seen.silentForS());
            if (a.reason() != null) {
                out.println("  paused: " + a.reason());
            }
        }
    }

    public static List<Map<String, Object>> json(List<AllocationRoster.Seen> allocations) {
        return allocations.stream().map(seen -> {
            AllocationAnnouncement a = seen.last();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", a.name());
            row.put("pool", a.pool());
            row.put("state", seen.state());
            if (a.reason() != null) {
                row.put("reason", a.reason());
            }
            row.put("jobs_pending", a.jobsPending());
            row.put("jobs_running", a.jobsRunning());
            row.put("max_jobs", a.maxJobs());
            row.put("workers", a.workers());
            row.put("host", a.host());
            row.put("pid", a.pid());
            row.put("silent_for_s", seen.silentForS());
            return row;
        }).toList();
    }
}
