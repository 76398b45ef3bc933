package org.dp3q.cli.allocate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllocatorSettingsTest {
    @Test
    void the_users_sbatch_arguments_come_after_the_allocators_so_they_win() {
        AllocatorSettings settings = settings(List.of("--partition=cpu", "--output=/scratch/%x-%j.out"), "04:00:00");

        assertEquals(List.of("--job-name=dp3q-default", "--nodes=2", "--time=04:00:00", "--output=dp3q-default-%j.out",
                "--partition=cpu", "--output=/scratch/%x-%j.out"), settings.sbatchOptions());
        assertEquals(8, settings.slotsPerJob());
    }

    @Test
    void the_job_script_learns_pool_slots_idle_exit_and_allocation_over_the_workers_environment() {
        Map<String, String> env = settings(List.of(), "10").jobEnv();

        assertEquals("default", env.get("DP3Q_POOL"), "the allocation's pool, not one left in the environment");
        assertEquals("4", env.get("DP3Q_SLOTS"));
        assertEquals("300000ms", env.get("DP3Q_IDLE_EXIT"));
        assertEquals("dp3q-default", env.get("DP3Q_ALLOCATION"));
        assertEquals("amqp://w@rabbit/v", env.get("DP3Q_BROKER"));
    }

    @Test
    void a_time_limit_sbatch_cannot_read_is_refused_before_any_call() {
        assertThrows(IllegalArgumentException.class, () -> settings(List.of(), "4 hours"));
    }

    private static AllocatorSettings settings(List<String> sbatchArgs, String timeLimit) {
        return new AllocatorSettings("dp3q-default", "default", 3, 2, timeLimit, 4, Duration.ofMinutes(5), 1, 3,
                Duration.ofSeconds(10), Path.of("job.sbatch"), sbatchArgs,
                Map.of("DP3Q_BROKER", "amqp://w@rabbit/v", "DP3Q_POOL", "highmem-should-not-win"));
    }
}
