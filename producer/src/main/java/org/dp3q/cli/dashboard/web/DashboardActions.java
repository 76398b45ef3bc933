package org.dp3q.cli.dashboard.web;

import java.util.List;
import java.util.Set;

/** The dashboard's buttons, doing exactly what {@code dp3q replay} and {@code dp3q cancel} do. */
public interface DashboardActions {
    /** Replays the failed tasks of {@code batch} (only {@code chunks} when not empty); one line per task. */
    List<String> replay(String batch, Set<Integer> chunks) throws Exception;

    /** Cancels {@code batch}. */
    void cancel(String batch) throws Exception;
}
