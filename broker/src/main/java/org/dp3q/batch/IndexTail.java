package org.dp3q.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dp3q.broker.stream.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last records of the index as one look-up read them, and the newest {@link IndexSummary} among them (by
 * its {@code through}; only that one is unzipped).
 */
final class IndexTail {
    private static final Logger LOG = LoggerFactory.getLogger(IndexTail.class);
    private final List<StreamReader.Record> records = new ArrayList<>();
    private StreamReader.Record newestSummary;
    private long summaryThrough = -1;
    private Long firstOffset;

    void offer(StreamReader.Record record) {
        if (firstOffset == null) {
            firstOffset = record.offset();
        }
        if (IndexSummary.is(record)) {
            long through = record.headerLong(IndexSummary.THROUGH_HEADER);
            if (through > summaryThrough) {
                summaryThrough = through;
                newestSummary = record;
            }
        } else {
            records.add(record);
        }
    }

    /** The {@code through} of the newest summary read, or -1. */
    long summaryThrough() {
        return summaryThrough;
    }

    /**
     * The index's state from the newest summary and the records after its {@code through}; empty when there is no
     * summary, or when records between its {@code through} and the tail's first record were not read.
     */
    Optional<IndexState> fromSummary(long nowEpochS) {
        if (newestSummary == null || firstOffset == null || summaryThrough < firstOffset - 1) {
            return Optional.empty();
        }
        IndexState state;
        try {
            state = IndexSummary.read(newestSummary, nowEpochS);
        } catch (RuntimeException e) {
            // the look-up reads the whole index instead, and writes a summary that replaces this one
            LOG.warn("passing over the index summary at offset {} of dp3q.batches: {}", newestSummary.offset(), e.toString());
            newestSummary = null;
            summaryThrough = -1;
            return Optional.empty();
        }
        records.forEach(state::offer);
        return Optional.of(state);
    }

    /** The state from the records alone: right when they are the whole index. */
    IndexState fromRecords(long nowEpochS) {
        IndexState state = IndexState.empty(nowEpochS);
        records.forEach(state::offer);
        return state;
    }
}
