package org.dp3q.worker.process;

/**
 * One line of {@code /proc/<pid>/stat}, the fields dp3q needs. CPU is in clock ticks and includes the
 * children the process already waited for ({@code cutime}, {@code cstime}).
 */
record ProcStat(long pid, char state, long pgrp, long session, long cpuTicks, long rssPages) {
    private static final int LAST_FIELD = 24;   // rss

    /**
     * Parses the first {@code length} bytes of a stat line in place; the command name may hold spaces and
     * parentheses, so fields are read after the last ')'.
     */
    static ProcStat parse(byte[] line, int length) {
        int close = length - 1;
        while (close >= 0 && line[close] != ')') {
            close--;
        }
        if (close < 0 || close + 2 >= length) {
            throw new IllegalArgumentException("not a stat line");
        }
        long pid = 0;
        for (int i = 0; i < close && line[i] != ' '; i++) {
            pid = pid * 10 + digit(line[i]);
        }
        char state = (char) line[close + 2];
        long[] fields = new long[LAST_FIELD + 1];
        int field = 4;
        long value = 0;
        boolean negative = false;
        for (int i = close + 4; i <= length && field <= LAST_FIELD; i++) {
            byte b = i < length ? line[i] : (byte) ' ';
            if (b == ' ' || b == '\n') {
                fields[field++] = negative ? -value : value;
                value = 0;
                negative = false;
            } else if (b == '-') {
                negative = true;
            } else {
                value = value * 10 + digit(b);
            }
        }
        if (field <= LAST_FIELD) {
            throw new IllegalArgumentException("a stat line with " + (field - 1) + " fields");
        }
        // field 5 pgrp, 6 session, 14-17 utime stime cutime cstime, 24 rss
        return new ProcStat(pid, state, fields[5], fields[6], fields[14] + fields[15] + fields[16] + fields[17], fields[24]);
    }

    private static int digit(byte b) {
        if (b < '0' || b > '9') {
            throw new IllegalArgumentException("not a number in a stat line");
        }
        return b - '0';
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
