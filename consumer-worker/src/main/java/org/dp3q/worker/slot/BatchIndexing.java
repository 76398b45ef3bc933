package org.dp3q.worker.slot;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.dp3q.batch.BatchIndex;
import org.dp3q.batch.IndexRecord;

/**
 * Makes batches published without {@code dp3q submit} (e.g. by pika) findable: the first time this worker process
 * meets a task of such a batch (no {@code dp3q-indexed} header), it records the batch in the index, confirmed,
 * before the task's {@code started} event. Workers may not read events, so the record carries no offset; readers
 * resolve it from the records before it (see {@link org.dp3q.batch.BatchIndex}). Remembers the last few thousand
 * batches, shared by the slots of this process.
 */
final class BatchIndexing {
    private static final int REMEMBERED = 4096;
    private static final long CONFIRM_TIMEOUT_MS = 30_000;
    private static final Set<String> KNOWN = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    private BatchIndexing() {
    }

    /** Records {@code batch} in the index unless the delivery says submit did, or this process already did. */
    static void ensureIndexed(Delivery delivery, String batch) throws IOException, InterruptedException, TimeoutException {
        Map<String, Object> headers = delivery.properties().getHeaders();
        if ((headers != null && headers.containsKey(IndexRecord.INDEXED_HEADER)) || KNOWN.contains(batch)) {
            return;
        }
        BatchIndex.publish(delivery.channel(), IndexRecord.of(batch, null, IndexRecord.BY_WORKER));
        delivery.channel().waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        KNOWN.add(batch);
    }
}
