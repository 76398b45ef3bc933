package org.dp3q.batch;

import java.util.Optional;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.codec.Json;

/**
 * Picks, from index records read in order, where one batch begins: the smallest offset a submit or a reader
 * recorded for it; else, from a record a worker wrote without offset, the offset of the nearest earlier record
 * that has one (it was written before, so it is a lower bound too), or the stream's start when there is none.
 */
final class IndexLookup {
    private final String batch;
    private Long lastKnown;
    private Long exact;
    private Long fromWorker;
    private boolean workerSeen;

    IndexLookup(String batch) {
        this.batch = batch;
    }

    void offer(StreamReader.Record record) {
        if (!IndexRecord.TYPE.equals(record.properties().getType())) {
            return;
        }
        Long headerOffset = record.headerLong(IndexRecord.EVENTS_OFFSET_HEADER);
        if (headerOffset != null && !BatchIndex.isAbout(batch, record)) {
            // another batch's record: only its offset counts, and the header has it; no body to decode
            lastKnown = headerOffset;
            return;
        }
        IndexRecord index = Json.read(record.body(), IndexRecord.class);
        if (batch.equals(index.batch()) && BatchIndex.isAbout(batch, record)) {
            if (index.eventsOffset() != null) {
                exact = exact == null ? index.eventsOffset() : Math.min(exact, index.eventsOffset());
            } else if (!workerSeen) {
                workerSeen = true;
                fromWorker = lastKnown;
            }
        }
        if (index.eventsOffset() != null) {
            lastKnown = index.eventsOffset();
        }
    }

    Optional<BatchStart> result() {
        if (exact != null) {
            return Optional.of(new BatchStart(exact, true));
        }
        return workerSeen ? Optional.of(new BatchStart(fromWorker, false)) : Optional.empty();
    }
}
