package org.dp3q.worker.process;

/** CPU time (user+system) and peak resident memory of a subprocess tree: the load a Dask worker cannot see. */
public record TreeUsage(long cpuMs, long maxRssKb) {
    public static final TreeUsage NONE = new TreeUsage(0, 0);

    /** The larger of each figure: two measurements of one run, each of which can only miss some of it. */
    public TreeUsage atLeast(TreeUsage other) {
        return new TreeUsage(Math.max(cpuMs, other.cpuMs), Math.max(maxRssKb, other.maxRssKb));
    }
}
