package org.dp3q.cli.allocate;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.cli.BrokerSession;
import org.dp3q.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Lift the pause of a running allocator (after fixing what made its jobs fail); it submits again "
                + "at its next round. Restarting the allocator lifts it too.")
public class ResumeCommand implements Callable<Integer> {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--name", paramLabel = "NAME", description = "The allocation (default: dp3q-<pool>).")
    String name;

    @Option(names = "--pool", paramLabel = "NAME", defaultValue = Topology.DEFAULT_POOL,
            description = "Its pool, when it has the default name (default: ${DEFAULT-VALUE}).")
    String pool;

    @Override
    public Integer call() {
        String allocation;
        try {
            allocation = AllocationName.of(name, Topology.requireValidPool(pool));
        } catch (IllegalArgumentException e) {
            System.err.println("dp3q allocate resume: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try (BrokerSession session = BrokerSession.open(broker.settings(), "allocate resume", List.of())) {
            WorkersStreamPost.post(session.connection(), ResumeRequest.TYPE,
                    new ResumeRequest(ResumeRequest.SCHEMA, allocation, Instant.now().toString()));
            System.out.println("asked allocation " + allocation + " to resume; 'dp3q status' shows its state");
            return ExitCodes.OK;
        } catch (BrokerUnavailableException | IOException e) {
            System.err.println("dp3q allocate resume: " + e.getMessage());
            return ExitCodes.BROKER;
        }
    }
}
