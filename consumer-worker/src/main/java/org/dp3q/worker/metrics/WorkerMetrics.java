package org.dp3q.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;

/**
 * The worker's meters: tasks by outcome, attempt durations, busy slots, and the CPU and memory of the
 * subprocess trees, which a scheduler that only watches its own process never sees.
 */
public final class WorkerMetrics {
    private final MeterRegistry registry;
    private final Timer attempts;
    private final Counter cpuSeconds;
    private final DistributionSummary peakRss;
    /** Looked up once per outcome: a registry look-up builds and sorts the meter's id on every call. */
    private final Map<EventType, Counter> outcomes = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.attempts = Timer.builder("dp3q.attempt.duration").description("Wall time of finished attempts")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(6)).register(registry);
        this.cpuSeconds = Counter.builder("dp3q.subprocess.cpu").baseUnit("seconds")
                .description("CPU time (user+system) of finished subprocess trees").register(registry);
        this.peakRss = DistributionSummary.builder("dp3q.subprocess.peak.rss").baseUnit("bytes")
                .description("Peak resident memory of each finished subprocess tree").register(registry);
    }

    /** Meters kept in memory only, for a worker started without --http-port. */
    public static WorkerMetrics inMemory() {
        return new WorkerMetrics(new SimpleMeterRegistry());
    }

    /** Live gauges read from the worker when scraped. */
    public void watch(int slots, Supplier<Integer> busySlots, Supplier<Long> runningRssBytes, Supplier<Boolean> brokerUp) {
        Gauge.builder("dp3q.slots", () -> slots).description("Slots of this worker").register(registry);
        Gauge.builder("dp3q.slots.busy", () -> busySlots.get()).description("Slots running a subprocess").register(registry);
        Gauge.builder("dp3q.subprocess.rss", () -> runningRssBytes.get()).baseUnit("bytes")
                .description("Resident memory of the running subprocess trees").register(registry);
        Gauge.builder("dp3q.broker.connected", () -> brokerUp.get() ? 1 : 0)
                .description("1 while the broker connection is open").register(registry);
    }

    /** Whether the worker is quarantined, and how many slots consume. */
    public void watchCondition(Supplier<org.dp3q.worker.health.WorkerCondition> condition, Supplier<Integer> consumingSlots) {
        Gauge.builder("dp3q.quarantined", () -> condition.get().quarantined() ? 1 : 0)
                .description("1 while the worker is quarantined (it failed everything fast)").register(registry);
        Gauge.builder("dp3q.slots.consuming", () -> consumingSlots.get())
                .description("Slots subscribed to their queue").register(registry);
    }

    /** One delivery settled with the outcome {@code event} records. */
    public void settled(Event event) {
        outcomes.computeIfAbsent(event.event(), type -> registry.counter("dp3q.tasks", "outcome", type.wire())).increment();
        if (event.durationMs() != null) {
            attempts.record(Duration.ofMillis(event.durationMs()));
        }
        if (event.cpuMs() != null && event.cpuMs() > 0) {
            cpuSeconds.increment(event.cpuMs() / 1000.0);
        }
        if (event.maxRssKb() != null && event.maxRssKb() > 0) {
            peakRss.record(event.maxRssKb() * 1024.0);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }
}
