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
 * cancel reaches every worker at once. Reads without consuming, so every worker sees every command.
 */
public final class ControlListener {
    private static final Logger LOG = LoggerFactory.getLogger(ControlListener.class);

    private ControlListener() {
    }

    public static StreamReader start(Connection connection, CancelledBatches cancelled, Consumer<ControlCommand> onCancel)
            throws IOException {
        return StreamReader.fromFirst(connection, Topology.CONTROL_LOG_STREAM, record -> {
            ControlCommand command;
            try {
                command = Json.read(record.body(), ControlCommand.class);
            } catch (RuntimeException e) {
                LOG.warn("ignoring an unreadable control command: {}", e.getMessage());
                return;
            }
            if (command.isSupersede()) {
                LOG.info("tasks {} of batch {} replaced by their copies submitted at {}", command.taskIds(), command.batch(),
                        command.keepSubmittedAt());
                cancelled.supersede(command.taskIds(), command.keepSubmittedAt());
                onCancel.accept(command);
            } else if (command.isCancel()) {
                LOG.info("batch {} cancelled at {}", command.batch(), command.time());
                cancelled.add(command.batch(), command.at());
                onCancel.accept(command);
            }
        });
    }
}
