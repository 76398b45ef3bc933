package org.dp3q.cli.cancel;

import java.util.List;
import java.util.concurrent.Callable;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.broker.publish.RoutedChannel;
import org.dp3q.broker.publish.UnroutableException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.cli.BrokerSession;
import org.dp3q.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {
            "Cancel a batch: every worker kills its running subprocesses of the batch within seconds, and tasks of",
            "the batch still queued are not run but recorded 'cancelled' when a slot receives them. Applies to tasks",
            "submitted before the cancel; submitting the batch again afterwards runs it anew. dp3q wait then exits 4.",
        },
        footer = {"", "Exit codes: 0 cancel broadcast and stored, 2 usage, 3 broker unreachable or not confirmed."})
public class CancelCommand implements Callable<Integer> {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--batch", required = true, paramLabel = "NAME", description = "The batch to cancel.")
    String batch;

    @Override
    public Integer call() {
        try (BrokerSession session = BrokerSession.open(broker.settings(), "cancel " + batch, List.of())) {
            BatchCancel.send(session.connection(), batch);
            System.out.println("cancel of batch " + batch + " sent to every worker; follow it with: dp3q wait --batch " + batch);
            return ExitCodes.OK;
        } catch (UnroutableException e) {
            System.err.println("dp3q cancel: the cancel reached no one: " + e.getMessage() + "; the control stream "
                    + Topology.CONTROL_LOG_STREAM + " or its binding is missing, declare it with: dp3q topology");
            return ExitCodes.BROKER;
        } catch (BrokerUnavailableException e) {
            System.err.println("dp3q cancel: " + e.getMessage());
            return ExitCodes.BROKER;
        } catch (Exception e) {
            System.err.println("dp3q cancel: the broker did not confirm the cancel (" + e + "); run it again");
            return ExitCodes.BROKER;
        }
    }
}
