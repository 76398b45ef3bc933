package org.dp3q.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    // a real line of /proc/<pid>/stat, with a command name that holds spaces and parentheses
    private static final String LINE = "4242 (my (odd) cmd) S 1 4240 4239 0 -1 4194560 120 0 0 0 150 25 7 3 20 0 1 0"
            + " 12345 10240000 2500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

    private static ProcStat parse(String line) {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return ProcStat.parse(bytes, bytes.length);
    }

    @Test
    void reads_the_fields_after_the_last_parenthesis() {
        ProcStat stat = parse(LINE);
        assertEquals(4242, stat.pid());
        assertEquals('S', stat.state());
        assertEquals(4240, stat.pgrp());
        assertEquals(4239, stat.session());
        assertEquals(150 + 25 + 7 + 3, stat.cpuTicks());
        assertEquals(2500, stat.rssPages());
        assertTrue(stat.running());
    }

    @Test
    void a_zombie_is_not_running() {
        assertFalse(parse(LINE.replace(") S ", ") Z ")).running());
    }

    @Test
    void a_cut_or_garbled_line_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> parse(LINE.substring(0, 60)));
        assertThrows(IllegalArgumentException.class, () -> parse("no parenthesis here"));
        assertThrows(IllegalArgumentException.class, () -> parse(LINE.replace(" 150 ", " 1x0 ")));
    }

    @Test
    void the_scan_reads_this_process_as_the_kernel_shows_it() throws Exception {
        long self = ProcessHandle.current().pid();
        ProcStat stat = ProcScan.of(self);
        assertEquals(self, stat.pid());
        assertTrue(stat.rssPages() > 0);
        assertTrue(ProcScan.all().stream().anyMatch(s -> s.pid() == self));
    }
}
