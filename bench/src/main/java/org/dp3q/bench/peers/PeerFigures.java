package org.dp3q.bench.peers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dp3q.bench.report.Report;
import org.dp3q.bench.report.Row;
import org.dp3q.bench.report.Target;
import org.dp3q.bench.stats.Stats.Spread;
import org.dp3q.codec.Json;

/**
 * The figures of the table from the runs {@code compare.sh} left behind (one {@code summary.json} per system
 * and rep, written by the peers' {@code analyze.py}): each system's figure, and dp3q's ratio to the best peer
 * (the ratio of medians; at most 1 is the goal).
 */
public final class PeerFigures {
    private static final List<String> PEERS = List.of("dask", "celery");
    private static final Pattern BARRIER = Pattern.compile("(dask|dp3q) [\\d.]+ s \\((-?\\d+) ms/barrier\\)");

    private record Figure(String name, int decimals, ToDoubleFunction<JsonNode> read) {
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("dispatch gap p50 (ms)", 1, s -> s.path("gap_ms").path("median").asDouble(Double.NaN)),
            new Figure("dispatch gap p99 (ms)", 1, s -> s.path("gap_ms").path("p99").asDouble(Double.NaN)),
            new Figure("makespan ÷ lower bound, from the first publish", 3,
                    s -> s.path("makespan_from_publish_over_LB").asDouble(Double.NaN)),
            new Figure("submit called → first chunk starts (ms)", 0,
                    s -> s.path("first_start_after_publish_ms").asDouble(Double.NaN)));

    private final Map<String, List<JsonNode>> summaries = new LinkedHashMap<>();

    public PeerFigures(Path results, int reps) throws IOException {
        for (String system : List.of("dp3q", "dask", "celery")) {
            List<JsonNode> runs = new ArrayList<>();
            for (int rep = 1; rep <= reps; rep++) {
                Path summary = results.resolve(system + "." + rep).resolve("summary.json");
                if (Files.exists(summary)) {
                    runs.add(Json.MAPPER.readTree(summary.toFile()));
                }
            }
            summaries.put(system, runs);
        }
    }

    public void addTo(Report report, String section, String config) {
        for (Figure figure : FIGURES) {
            Map<String, Double> medians = new LinkedHashMap<>();
            summaries.forEach((system, runs) -> {
                List<Double> samples = runs.stream().map(figure.read()::applyAsDouble).filter(v -> !v.isNaN()).toList();
                report.add(Row.of(section, figure.name() + ", " + system, config, figure.decimals(), samples, null));
                medians.put(system, Spread.of(samples).median());
            });
            double best = PEERS.stream().mapToDouble(p -> medians.getOrDefault(p, Double.NaN)).filter(v -> !Double.isNaN(v))
                    .min().orElse(Double.NaN);
            double ratio = medians.getOrDefault("dp3q", Double.NaN) / best;
            report.add(Row.of(section, "  dp3q ÷ best peer", config, 2, Double.isNaN(ratio) ? List.of() : List.of(ratio),
                    Target.atMost(1.0)));
        }
        int lost = summaries.values().stream().flatMap(List::stream).mapToInt(s -> s.path("missing").asInt(0)).max().orElse(0);
        int dup = summaries.values().stream().flatMap(List::stream).mapToInt(s -> s.path("dup_chunks").asInt(0)).max().orElse(0);
        report.note("peers " + config + ": chunks lost " + lost + ", run twice " + dup + " (worst system and rep)");
    }

    /** The overhead per barrier of Dask and dp3q from what {@code barriers.sh} printed, and their ratio. */
    public static void addBarriers(String printed, Report report, String section) {
        Map<String, Double> perBarrier = new LinkedHashMap<>();
        Matcher m = BARRIER.matcher(printed);
        while (m.find()) {
            perBarrier.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        String config = "barriers.sh: 10 barriers × 4 chunks of 100 ms";
        perBarrier.forEach((system, ms) -> report.add(Row.of(section, "overhead per barrier (ms), " + system, config, 0,
                List.of(ms), system.equals("dp3q") ? Target.atMost(300) : null)));
        if (perBarrier.size() == 2) {
            report.add(Row.of(section, "  dp3q ÷ Dask", config, 1, List.of(perBarrier.get("dp3q") / perBarrier.get("dask")),
                    Target.atMost(1.0)));
        } else {
            report.note("barriers.sh printed no figures: " + printed.lines().reduce((a, b) -> b).orElse("(nothing)"));
        }
    }
}
