package org.dp3q.bench.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ProcCpuTest {
    @Test
    void reads_user_and_system_time_after_a_name_with_spaces_and_parentheses() {
        String stat = "4242 (AMQP Connection (x) 1) S 1 4242 4242 0 -1 4194368 900 0 0 0 37 5 0 0 20 0 30 0 123 0 0";

        assertEquals(420.0, ProcCpu.ms(stat));
        assertEquals("AMQP Connection (x) 1", ProcCpu.name(stat));
    }

    @Test
    void counts_what_a_thread_of_this_jvm_burns_under_its_name() throws Exception {
        long pid = ProcessHandle.current().pid();
        ProcCpu before = ProcCpu.of(pid);
        AtomicBoolean burning = new AtomicBoolean(true);
        Thread burner = new Thread(() -> {
            long x = 0;
            while (burning.get()) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        }, "burner-7");
        burner.start();
        // read while it is alive (it burns until told to stop): a thread that ended counts in the JVM's total only
        ProcCpu used;
        try {
            used = await().atMost(Duration.ofSeconds(20)).until(() -> ProcCpu.of(pid).since(before),
                    cpu -> cpu.jvmMs() >= 150 && cpu.busiest(1, 1).startsWith("burner- "));
        } finally {
            burning.set(false);
            burner.join();
        }

        assertTrue(used.jvmMs() >= 150, "the JVM used at least the burner's time: " + used.jvmMs());
        String busiest = used.busiest(1, 1);
        assertTrue(busiest.startsWith("burner- "), "the burner is the busiest thread: " + busiest);
    }

    @Test
    void sums_processes_and_divides_per_task() {
        ProcCpu a = new ProcCpu(100, 10, Map.of(1L, new ProcCpu.Thread("slot-0", 80)));
        ProcCpu b = new ProcCpu(300, 30, Map.of(2L, new ProcCpu.Thread("slot-0", 200), 3L, new ProcCpu.Thread("C1", 40)));

        ProcCpu sum = ProcCpu.sum(List.of(a, b));

        assertEquals(400, sum.jvmMs());
        assertEquals(40, sum.guardiansMs());
        assertEquals("slot- 2.80, (threads ended) 0.80, C 0.40", sum.busiest(3, 100));
    }

    @Test
    void what_the_threads_alive_did_not_use_counts_as_threads_that_ended() {
        ProcCpu used = new ProcCpu(500, 0, Map.of(1L, new ProcCpu.Thread("slot-0", 200), 2L, new ProcCpu.Thread("C1", 100)));

        assertEquals("slot- 2.00, (threads ended) 2.00, C 1.00", used.busiest(5, 100));
    }
}
