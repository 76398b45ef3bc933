package org.dp3q.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRegistryTest {
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void a_group_recorded_again_holds_only_its_latest_run_in_the_same_file() throws Exception {
        RunRegistry registry = new RunRegistry(dir.resolve("running"));
        RunRegistry.Record record = registry.record(SELF);

        record.write("DP3Q_RUN=a-much-longer-first-marker", "first.log");
        Path file = onlyFile(registry.dir());
        Object inode = Files.getAttribute(file, "unix:ino");
        record.write("DP3Q_RUN=b", "second.log");

        String text = Files.readString(file);
        assertTrue(text.contains("marker=DP3Q_RUN=b\ntask=second.log\nend\n"), text);
        assertFalse(text.contains("first"), "what was left of the longer first record is cut: " + text);
        assertTrue(text.contains("leader_start=" + ProcInfo.of(SELF).orElseThrow().startTicks() + "\n"), text);
        assertEquals(inode, Files.getAttribute(onlyFile(registry.dir()), "unix:ino"));
    }

    @Test
    void a_forgotten_group_is_not_recorded_again_by_a_late_run() throws Exception {
        RunRegistry registry = new RunRegistry(dir.resolve("running"));
        RunRegistry.Record record = registry.record(SELF);
        record.write("DP3Q_RUN=a", "one.log");

        record.forget();
        record.write("DP3Q_RUN=b", "two.log");

        try (var files = Files.list(registry.dir())) {
            assertEquals(0, files.count(), "the record of a group that is gone stays gone");
        }
    }

    @Test
    void a_record_names_an_unsafe_task_name_safely() throws Exception {
        RunRegistry registry = new RunRegistry(dir.resolve("running"));
        registry.record(SELF).write("DP3Q_RUN=a", "cal/phase 4\nmarker=x");

        assertTrue(Files.readString(onlyFile(registry.dir())).contains("\ntask=cal_phase_4_marker_x\nend\n"));
    }

    private static Path onlyFile(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            var all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }
}
