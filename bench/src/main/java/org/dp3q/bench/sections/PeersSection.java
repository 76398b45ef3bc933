package org.dp3q.bench.sections;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dp3q.bench.BenchContext;
import org.dp3q.bench.peers.PeerFigures;
import org.dp3q.bench.peers.PeerScripts;

/**
 * dp3q beside the systems it is compared with (Dask, Celery), same workload, same machine, same run, by the peers'
 * own scripts: {@code compare.sh} at W=4 with lognormal chunks and at W=8 with 200 ms chunks, and
 * {@code barriers.sh}. Prints each system's figures and dp3q's ratio to the best peer. Skipped, saying so, where the
 * peers are not installed.
 */
public final class PeersSection {
    private static final String SECTION = "peers";

    private final BenchContext ctx;
    private final PeerScripts scripts;
    private final int reps;

    public PeersSection(BenchContext ctx, Path peersDir, int reps) {
        this.ctx = ctx;
        this.scripts = new PeerScripts(peersDir, ctx.repo());
        this.reps = reps;
    }

    public void run() throws IOException, InterruptedException {
        String missing = scripts.missing();
        if (missing != null) {
            ctx.say("peers skipped: %s", missing);
            ctx.report().note("peers skipped: " + missing);
            return;
        }
        for (String[] config : List.of(new String[] {"4", "lognormal_400.jsonl"}, new String[] {"8", "const200_400.jsonl"})) {
            Path log = ctx.workDir("peers").resolve("compare-W" + config[0] + ".out");
            ctx.say("peers: compare.sh W=%s %s, %d rep(s) (dp3q, Dask, Celery in turn)", config[0], config[1], reps);
            Path results = scripts.compare(Integer.parseInt(config[0]), config[1], reps, log);
            new PeerFigures(results, reps).addTo(ctx.report(), SECTION,
                    "W=" + config[0] + ", " + config[1].replace(".jsonl", ""));
        }
        Path log = ctx.workDir("peers").resolve("barriers.out");
        ctx.say("peers: barriers.sh 10 4 100 (Dask client, then dp3q submit --wait per barrier)");
        PeerFigures.addBarriers(scripts.barriers(10, 4, 100, log), ctx.report(), SECTION);
    }
}
