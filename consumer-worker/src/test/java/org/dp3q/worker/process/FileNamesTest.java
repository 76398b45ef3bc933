package org.dp3q.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class FileNamesTest {
    @Test
    void a_safe_name_is_kept_as_it_is() {
        String name = "cal-phase_4.attempt1";

        assertSame(name, FileNames.safe(name));
    }

    @Test
    void every_other_character_becomes_one_underscore() {
        assertEquals("cal_phase_4__x_", FileNames.safe("cal/phase 4:\tx\u00e9"));
        // a character outside the basic plane is one character of the name, not two
        assertEquals("chunk__", FileNames.safe("chunk_\uD83D\uDE00"));
    }
}
