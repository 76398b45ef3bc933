package org.dp3q.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.dp3q.bench.broker.BenchVhost;
import org.dp3q.bench.broker.BrokerAddress;
import org.dp3q.bench.broker.BrokerAdmin;
import org.dp3q.bench.broker.QueueProbe;
import org.dp3q.bench.machine.Machine;
import org.dp3q.bench.report.Report;

/**
 * What every section needs: the checkout (for bin/ and the packaged jars), the stand-in, the broker, a scratch
 * directory, the report being filled, and a place to say what is going on.
 */
public record BenchContext(Path repo, Path standin, BrokerAddress broker, BrokerAdmin admin, Path workRoot,
                           Report report, PrintStream progress, long seed) {

    public BenchVhost vhost(String purpose) throws IOException, InterruptedException {
        return BenchVhost.create(admin, broker, purpose);
    }

    public Path workDir(String name) throws IOException {
        return Files.createDirectories(workRoot.resolve(name));
    }

    public void say(String format, Object... args) {
        progress.printf("bench: " + format + " [load %s]%n", append(args, Machine.loadavg()));
    }

    /** Waits until {@code queue} has {@code consumers} consumers; returns when that was seen (nanoTime). */
    public static long awaitConsumers(QueueProbe probe, String queue, int consumers, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long now = System.nanoTime();
            if (probe.counts(queue).consumers() >= consumers) {
                return now;
            }
            if (now > deadline) {
                throw new IOException("queue " + queue + " did not get " + consumers + " consumer(s) within "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(2);
        }
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }
}
