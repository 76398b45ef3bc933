package org.dp3q.worker.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.dp3q.codec.Json;
import org.dp3q.task.Task;
import org.junit.jupiter.api.Test;

class WalltimeAdmissionTest {
    private static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Task task(String id, String bounds) {
        return Json.read(("{\"schema\":\"dp3q.task/1\",\"id\":\"" + id + "\",\"batch\":\"b\",\"chunk\":0" + bounds + "}")
                .getBytes(), Task.class);
    }

    @Test
    void a_task_whose_timeout_or_else_expected_time_fits_before_the_end_minus_the_margin_is_admitted() {
        WalltimeAdmission admission = new WalltimeAdmission(NOW.plusSeconds(100), Duration.ofSeconds(10), clock);
        assertTrue(admission.admits(task("a", ",\"timeout_s\":90")));
        assertFalse(admission.admits(task("b", ",\"timeout_s\":91")));
        assertTrue(admission.admits(task("c", ",\"expected_s\":60")));
        assertFalse(admission.admits(task("d", ",\"timeout_s\":200,\"expected_s\":60")), "timeout_s is the bound when given");
        assertTrue(admission.admits(task("e", "")), "a task with no bound starts as always");
        assertFalse(admission.nothingFits());
    }

    @Test
    void a_refused_task_seen_again_means_nothing_queued_fits() {
        WalltimeAdmission admission = new WalltimeAdmission(NOW.plusSeconds(100), Duration.ofSeconds(10), clock);
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        admission.whenNothingFits(told::incrementAndGet);
        admission.admits(task("long", ",\"timeout_s\":3600"));
        assertFalse(admission.nothingFits());
        admission.admits(task("long", ",\"timeout_s\":3600"));
        assertTrue(admission.nothingFits());
        admission.admits(task("long", ",\"timeout_s\":3600"));
        assertEquals(1, told.get(), "told once, at once");
    }

    @Test
    void without_a_known_end_everything_is_admitted_and_past_the_deadline_nothing_fits() {
        assertTrue(new WalltimeAdmission(null, Duration.ofSeconds(10), clock).admits(task("x", ",\"timeout_s\":99999")));
        assertTrue(new WalltimeAdmission(NOW.plusSeconds(5), Duration.ofSeconds(10), clock).nothingFits());
    }

    @Test
    void the_end_is_read_from_the_option_then_from_slurm() {
        assertEquals(Instant.parse("2026-12-02T06:00:00Z"), AllocationEnd.find("2026-12-02T06:00:00Z", java.util.Map.of()));
        assertEquals(Instant.ofEpochSecond(1_800_000_000L),
                AllocationEnd.find(null, java.util.Map.of("SLURM_JOB_END_TIME", "1800000000")));
        assertEquals(null, AllocationEnd.find(null, java.util.Map.of()));
    }
}
