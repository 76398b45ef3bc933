package org.dp3q.cli.failed;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.dp3q.broker.topology.Topology;
import org.dp3q.failed.FailedRecord;

/**
 * Reads every record in {@code dp3q.failed} without removing any: they are fetched unacked and handed back
 * when the channel closes, which a quorum queue returns to their places in order.
 */
public final class FailedQueueReader {
    private FailedQueueReader() {
    }

    public static List<FailedRecord> peekAll(Connection connection) throws IOException {
        List<FailedRecord> records = new ArrayList<>();
        Channel channel = connection.createChannel();
        try {
            GetResponse response;
            while ((response = channel.basicGet(Topology.FAILED_QUEUE, false)) != null) {
                records.add(FailedRecord.read(response.getProps(), response.getBody()));
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
