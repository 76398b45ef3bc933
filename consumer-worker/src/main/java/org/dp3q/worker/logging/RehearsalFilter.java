package org.dp3q.worker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Keeps the rehearsal slot's lines below a warning out of the worker's log: its stand-in tasks would otherwise
 * each log a start and an outcome, as a chunk does, at every worker start (see
 * {@link org.dp3q.worker.slot.SlotRehearsal}). Its warnings and errors are logged.
 */
public final class RehearsalFilter extends TurboFilter {
    /** The name of the rehearsal slot's thread. */
    public static final String THREAD = "rehearsal";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != null && !level.isGreaterOrEqual(Level.WARN) && THREAD.equals(Thread.currentThread().getName())) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
