package org.dp3q.worker.process;

/**
 * One line of {@code /proc/<pid>/stat}, the fields dp3q needs. CPU is in clock ticks and includes the
 * children the process already waited for ({@code cutime}, {@code cstime}).
 */
record ProcStat(long pid, char state, long pgrp, long session, long cpuTicks, long rssPages) {

    /** Parses a stat line; the command name may hold spaces and parentheses, so fields are read after the last ')'. */
    static ProcStat parse(String line) {
        int close = line.lastIndexOf(')');
        long pid = Long.parseLong(line.substring(0, line.indexOf(' ')).trim());
        String[] f = line.substring(close + 2).split(" ");
        // f[0] is field 3 (state): field n is f[n - 3]
        char state = f[0].charAt(0);
        long pgrp = Long.parseLong(f[2]);
        long session = Long.parseLong(f[3]);
        long cpu = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        long rss = Long.parseLong(f[21]);
        return new ProcStat(pid, state, pgrp, session, cpu, rss);
    }

    /** False for a zombie: it has ended and only waits to be reaped, no signal reaches it. */
    boolean running() {
        return state != 'Z' && state != 'X';
    }

    /** True for a process of the group led by {@code leader}, or of the session it leads. */
    boolean belongsTo(long leader) {
        return session == leader || pgrp == leader;
    }
}
