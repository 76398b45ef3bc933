package org.dp3q.cli.topology;

import java.util.ArrayList;
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

@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Declare (or check) the broker objects dp3q uses. Safe to run any number of times.")
public class TopologyCommand implements Callable<Integer> {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--pool", paramLabel = "NAME", description = "A task pool to declare; repeatable (default: default).")
    List<String> pools = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> declared = pools.isEmpty() ? List.of(Topology.DEFAULT_POOL) : pools;
        try (BrokerSession ignored = BrokerSession.open(broker.settings(), "topology", declared)) {
            System.out.println("exchange " + Topology.TASKS_EXCHANGE + " (direct, routing key = pool)");
            declared.forEach(pool -> System.out.println("quorum queue " + Topology.taskQueue(pool) + " (delivery limit "
                    + Topology.DELIVERY_LIMIT + ", dead letters to " + Topology.DEAD_LETTER_QUEUE + ")"));
            System.out.println("quorum queue " + Topology.FAILED_QUEUE);
            System.out.println("quorum queue " + Topology.DEAD_LETTER_QUEUE);
            System.out.println("stream " + Topology.EVENTS_STREAM + " (max age " + Topology.EVENTS_MAX_AGE + ")");
            System.out.println("exchange " + Topology.EVENTS_EXCHANGE + " (fanout, to " + Topology.EVENTS_STREAM + ")");
            System.out.println("exchange " + Topology.FAILED_EXCHANGE + " (fanout, to " + Topology.FAILED_QUEUE + ")");
            System.out.println("exchange " + Topology.RETRY_EXCHANGE + " (direct, to the delay queues " + Topology.RETRY_QUEUE_PREFIX
                    + "<pool>.<delay>ms, declared by workers)");
            System.out.println("exchange " + Topology.REQUEUE_EXCHANGE + " (direct, from the delay queues back to the pool queues)");
            System.out.println("stream " + Topology.WORKERS_STREAM + " (max age " + Topology.WORKERS_MAX_AGE + ")");
            System.out.println("exchange " + Topology.WORKERS_EXCHANGE + " (fanout, to " + Topology.WORKERS_STREAM + ")");
            System.out.println("exchange " + Topology.CONTROL_EXCHANGE + " (fanout, to " + Topology.CONTROL_LOG_STREAM + ")");
            System.out.println("stream " + Topology.CONTROL_LOG_STREAM + " (max age " + Topology.EVENTS_MAX_AGE + ")");
            return ExitCodes.OK;
        } catch (BrokerUnavailableException e) {
            System.err.println("dp3q topology: " + e.getMessage());
            return ExitCodes.BROKER;
        } catch (IllegalArgumentException e) {
            System.err.println("dp3q topology: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
