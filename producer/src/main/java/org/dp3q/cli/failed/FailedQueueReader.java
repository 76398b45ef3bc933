package org.dp3q.cli.failed;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.dp3q.broker.topology.Topology;
import org.dp3q.failed.FailedRecord;

/**
 * Looks at the records in {@code dp3q.failed} without removing any: they are fetched unacked and handed back when
 * the channel closes, which a quorum queue returns to their places in order. Only the records a filter takes are
 * kept, so memory follows what is asked, not the size of the queue; the walk stops at the records that were there
 * when it began.
 */
public final class FailedQueueReader {
    private FailedQueueReader() {
    }

    public static List<FailedRecord> peek(Connection connection, Predicate<FailedRecord> wanted) throws IOException {
        List<FailedRecord> records = new ArrayList<>();
        Channel channel = connection.createChannel();
        try {
            long present = channel.queueDeclarePassive(Topology.FAILED_QUEUE).getMessageCount();
            GetResponse response;
            for (long seen = 0; seen < present && (response = channel.basicGet(Topology.FAILED_QUEUE, false)) != null; seen++) {
                FailedRecord record = FailedRecord.read(response.getProps(), response.getBody());
                if (wanted.test(record)) {
                    records.add(record);
                }
            }
        } finally {
            try {
                channel.close();
            } catch (Exception e) {
                // closing hands every unacked record back to the queue, even when the close itself fails
                channel.abort();
            }
        }
        return records;
    }
}
