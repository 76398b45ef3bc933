package org.dp3q.worker.slot;

import com.rabbitmq.client.Connection;
import java.util.concurrent.ScheduledExecutorService;
import org.dp3q.worker.config.WorkerSettings;
import org.dp3q.worker.process.SubprocessLauncher;

/** Builds the slots of one worker process, all on its one connection. */
public final class SlotFactory {
    private final WorkerSettings settings;
    private final Connection connection;
    private final SubprocessLauncher launcher;
    private final ScheduledExecutorService maintenance;
    private final SlotContext context;
    private final long pid = ProcessHandle.current().pid();
    private final String host = SlotIdentity.localHost();

    public SlotFactory(WorkerSettings settings, Connection connection, SubprocessLauncher launcher,
                       ScheduledExecutorService maintenance, SlotContext context) {
        this.settings = settings;
        this.connection = connection;
        this.launcher = launcher;
        this.maintenance = maintenance;
        this.context = context;
    }

    public Slot create(int index) {
        SlotIdentity identity = new SlotIdentity(host, pid, index, settings.tag());
        return new Slot(identity, connection, SlotQueue.of(settings.pool(), index), new TaskHandler(settings, identity, launcher, context),
                maintenance, context.stops());
    }
}
