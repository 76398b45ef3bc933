package org.dp3q.worker.control;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.function.Consumer;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.control.ControlCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the control log from its start: cancels from before this worker started still count, and a live
 * cancel reaches every worker at once. Reads without consuming, so every worker sees every command. A record it
 * cannot use is logged once, with its offset, and skipped: nothing thrown reaches the client, which would close
 * the channel and silence cancels for the rest of the worker's life.
 */
public final class ControlListener {
    private static final Logger LOG = LoggerFactory.getLogger(ControlListener.class);

    private final CancelledBatches cancelled;
    private final Consumer<ControlCommand> onCancel;
    /** Records are read again after a resubscription; each bad one is told once. */
    private long lastToldOffset = -1;

    private ControlListener(CancelledBatches cancelled, Consumer<ControlCommand> onCancel) {
        this.cancelled = cancelled;
        this.onCancel = onCancel;
    }

    public static StreamReader start(Connection connection, CancelledBatches cancelled, Consumer<ControlCommand> onCancel)
            throws IOException {
        ControlListener listener = new ControlListener(cancelled, onCancel);
        return StreamReader.fromFirst(connection, Topology.CONTROL_LOG_STREAM, listener::read);
    }

    private void read(StreamReader.Record record) {
        try {
            ControlCommand command = Json.read(record.body(), ControlCommand.class);
            if (command.isSupersede()) {
                LOG.info("tasks {} of batch {} replaced by their copies submitted at {}", command.taskIds(), command.batch(),
                        command.keepSubmittedAt());
                cancelled.supersede(command.taskIds(), command.keepSubmittedAt());
                onCancel.accept(command);
            } else if (command.isCancel()) {
                cancelled.add(command.batch(), command.at());
                LOG.info("batch {} cancelled at {}", command.batch(), command.time());
                onCancel.accept(command);
            }
        } catch (RuntimeException e) {
            skip(record, e);
        }
    }

    private synchronized void skip(StreamReader.Record record, RuntimeException e) {
        Object offset = record.properties().getHeaders() == null ? null
                : record.properties().getHeaders().get("x-stream-offset");
        long at = offset instanceof Number n ? n.longValue() : -1;
        if (at < 0 || at > lastToldOffset) {
            lastToldOffset = Math.max(lastToldOffset, at);
            LOG.warn("skipping an unreadable record at offset {} of {}: {}", offset, Topology.CONTROL_LOG_STREAM,
                    e.getMessage());
        }
    }
}
