package org.dp3q.cli.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dp3q.cli.status.WorkerRoster;
import org.dp3q.event.EventType;
import org.dp3q.event.WorkerRef;
import org.dp3q.workers.WorkerAnnouncement;
import org.junit.jupiter.api.Test;

class LogLocatorTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Attempt ATTEMPT = new Attempt("cal/4", 2, "/scratch/w1/cal/cal_4.attempt2.20261201T100000.log",
            new WorkerRef("node1", 42L, 0, "w1"), null, null, EventType.FAILED, 2, null, null, null, null, null, null);

    private static WorkerRoster.Seen worker(String host, long pid, String dir, int silentS) {
        return WorkerRoster.seen(new WorkerAnnouncement(WorkerAnnouncement.SCHEMA, host, pid, "w" + pid, "default", 1,
                "running", NOW.minusSeconds(silentS).toString(), 10, List.of(),
                dir == null ? null : "http://" + host + ":9100/logs/", dir, null, null), NOW);
    }

    @Test
    void a_file_readable_here_is_read_here() {
        LogLocation at = LogLocator.locate(ATTEMPT, List.of(worker("node1", 42, "/scratch/w1", 1)), path -> true);
        assertEquals(new LogLocation.Local(Path.of(ATTEMPT.log())), at);
    }

    @Test
    void otherwise_the_worker_that_wrote_it_serves_it_by_its_path_inside_its_log_dir() {
        LogLocation at = LogLocator.locate(ATTEMPT, List.of(worker("node2", 42, "/scratch/w1", 1),
                worker("node1", 43, "/scratch/other", 1), worker("node1", 42, "/scratch/w1", 1)), path -> false);
        assertEquals("http://node1:9100/logs/cal/cal_4.attempt2.20261201T100000.log",
                ((LogLocation.Remote) at).url().toString());
    }

    @Test
    void a_later_worker_on_the_same_host_and_log_dir_serves_a_gone_workers_logs() {
        LogLocation at = LogLocator.locate(ATTEMPT, List.of(worker("node1", 42, "/scratch/w1", 600),
                worker("node1", 77, "/scratch/w1", 1)), path -> false);
        assertTrue(((LogLocation.Remote) at).url().toString().startsWith("http://node1:9100/logs/cal/"));
    }

    @Test
    void when_no_one_can_serve_it_it_says_the_worker_is_gone_and_where_the_file_lies() {
        LogLocation at = LogLocator.locate(ATTEMPT, List.of(worker("node1", 42, "/scratch/w1", 600)), path -> false);
        String message = assertInstanceOf(LogLocation.Unreachable.class, at).message();
        assertTrue(message.contains("is gone"), message);
        assertTrue(message.contains("on host node1 at /scratch/w1/cal/cal_4.attempt2.20261201T100000.log"), message);
    }

    @Test
    void a_live_worker_without_http_port_is_told_apart_from_a_gone_one() {
        LogLocation at = LogLocator.locate(ATTEMPT, List.of(worker("node1", 42, null, 1)), path -> false);
        assertTrue(((LogLocation.Unreachable) at).message().contains("--http-port"));
    }

    @Test
    void a_path_an_event_names_is_read_only_when_it_is_an_attempt_log() {
        for (String path : new String[] {"/etc/shadow", "/scratch/w1/cal/../../etc/x.attempt1.1.log", "relative/b/t.attempt1.1.log",
                "/scratch/w1/cal/notes.txt"}) {
            Attempt named = new Attempt("cal/4", 1, path, ATTEMPT.worker(), null, null, null, null, null, null, null,
                    null, null, null);
            assertInstanceOf(LogLocation.Unreachable.class, LogLocator.locate(named, List.of(), p -> true), path);
        }
    }

    @Test
    void path_segments_are_url_encoded() {
        assertEquals("a%3Ab/x%20y.log", LogLocator.urlPath(Path.of("a:b/x y.log")));
    }
}
