package org.dp3q.worker.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real process trees in sessions of their own: the sampler finds the children a tool starts, the ones that move
 * into a process group of their own included, and adds up their CPU and memory.
 */
class ProcSamplerTest {

    @Test
    void a_child_holding_memory_counts_toward_the_tree_peak() throws Exception {
        // dd holds a 100 MiB buffer until the reader, asleep, takes it: a child of the shell, not the leader
        TreeUsage usage = run("dd if=/dev/zero bs=100M count=1 2>/dev/null | (sleep 1.5; cat >/dev/null)");
        assertTrue(usage.maxRssKb() >= 100 * 1024, "peak RSS " + usage.maxRssKb() + " kB");
    }

    @Test
    void cpu_of_a_child_in_a_process_group_of_its_own_counts() throws Exception {
        // timeout puts its child into a group of its own; it stays in the session
        TreeUsage usage = run("timeout 1.5 sh -c 'while :; do :; done'; sleep 0.3");
        assertTrue(usage.cpuMs() >= 1000, "CPU " + usage.cpuMs() + " ms");
    }

    private static TreeUsage run(String script) throws Exception {
        try (ProcSampler sampler = new ProcSampler()) {
            // setsid execs in place (the child of the JVM leads no group), so the pid leads the session
            Process process = new ProcessBuilder(List.of("setsid", "sh", "-c", script)).start();
            sampler.track(process.pid());
            process.waitFor();
            return sampler.finish(process.pid());
        }
    }
}
