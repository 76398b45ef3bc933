package org.dp3q.cli.dashboard.web;

import com.rabbitmq.client.Connection;
import java.util.List;
import java.util.Set;
import org.dp3q.cli.cancel.BatchCancel;
import org.dp3q.cli.replay.Replays;

/** {@link DashboardActions} through the code of {@code dp3q replay} and {@code dp3q cancel}, on the dashboard's connection. */
public final class BrokerActions implements DashboardActions {
    private final Connection connection;

    public BrokerActions(Connection connection) {
        this.connection = connection;
    }

    @Override
    public List<String> replay(String batch, Set<Integer> chunks) throws Exception {
        return Replays.replay(connection, batch, chunks).stream().map(Replays.Line::text).toList();
    }

    @Override
    public void cancel(String batch) throws Exception {
        BatchCancel.send(connection, batch);
    }
}
