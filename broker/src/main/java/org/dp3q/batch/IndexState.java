package org.dp3q.batch;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.codec.Json;
import org.dp3q.event.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every batch begins, from index records read in order up to offset {@link #through()}: the smallest offset a
 * submit or a reader recorded for it; else, from a record a worker wrote without offset, the offset of the nearest
 * earlier record that has one (it was written before, so it is a lower bound too), or the stream's start when there
 * is none. A {@link IndexSummary} carries it, so that a reader goes on from there instead of from the stream's start.
 */
final class IndexState {
    private static final Logger LOG = LoggerFactory.getLogger(IndexState.class);
    /** One batch: its smallest recorded offset, or where a worker's record of it resolves to; when first put here. */
    record Entry(Long exact, boolean fromWorker, Long workerBound, long seenEpochS) {
        BatchStart start() {
            return exact != null ? new BatchStart(exact, true) : new BatchStart(workerBound, false);
        }

        private Entry withExact(long offset) {
            return new Entry(exact == null ? offset : Math.min(exact, offset), fromWorker, workerBound, seenEpochS);
        }
    }

    private final Map<String, Entry> batches;
    private Long lastKnown;
    private long through;
    private final long nowEpochS;

    IndexState(Map<String, Entry> batches, Long lastKnown, long through, long nowEpochS) {
        this.batches = new HashMap<>(batches);
        this.lastKnown = lastKnown;
        this.through = through;
        this.nowEpochS = nowEpochS;
    }

    /** Nothing read yet. */
    static IndexState empty(long nowEpochS) {
        return new IndexState(Map.of(), null, -1, nowEpochS);
    }

    /** Takes the next record; records at or before {@link #through()} are already in, and are passed over. */
    void offer(StreamReader.Record record) {
        Long offset = record.offset();
        if (offset != null) {
            if (offset <= through) {
                return;
            }
            through = offset;
        }
        if (!IndexRecord.TYPE.equals(record.properties().getType())) {
            return;
        }
        String named = record.headerText(EventPublisher.BATCH_HEADER);
        Long eventsOffset = record.headerLong(IndexRecord.EVENTS_OFFSET_HEADER);
        if (eventsOffset == null) {
            // a worker's record, or one written before the header existed: the body says
            IndexRecord index;
            try {
                index = Json.read(record.body(), IndexRecord.class);
            } catch (RuntimeException e) {
                LOG.debug("dp3q.batches: passing over the unreadable index record at offset {}: {}", offset, e.toString());
                return;
            }
            eventsOffset = index.eventsOffset();
            if (!Objects.equals(index.batch(), named)) {
                named = null;
            }
        }
        if (named != null) {
            note(named, eventsOffset);
        }
        if (eventsOffset != null) {
            lastKnown = eventsOffset;
        }
    }

    private void note(String batch, Long eventsOffset) {
        Entry entry = batches.get(batch);
        if (eventsOffset != null) {
            batches.put(batch, entry == null ? new Entry(eventsOffset, false, null, nowEpochS) : entry.withExact(eventsOffset));
        } else if (entry == null) {
            batches.put(batch, new Entry(null, true, lastKnown, nowEpochS));
        } else if (!entry.fromWorker()) {
            batches.put(batch, new Entry(entry.exact(), true, lastKnown, entry.seenEpochS()));
        }
    }

    Optional<BatchStart> start(String batch) {
        return Optional.ofNullable(batches.get(batch)).map(Entry::start);
    }

    /** The offset of the last record taken in, or -1. */
    long through() {
        return through;
    }

    Long lastKnown() {
        return lastKnown;
    }

    Map<String, Entry> batches() {
        return Map.copyOf(batches);
    }
}
