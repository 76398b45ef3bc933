package org.dp3q.bench.floor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.dp3q.task.Task;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@link OnePublish} with the libraries {@code dp3q submit} is built on: picocli reads its two options and Jackson
 * writes the task. Nothing else of dp3q (no topology, no look-up of the batch, no events). Started by
 * {@link FirstStartProbe} as {@link OnePublish} is; the difference between the two is what the libraries cost a
 * command line at its start, before it does anything of its own.
 */
@Command(name = "libraries-publish")
public final class LibrariesPublish implements Callable<Integer> {
    @Option(names = "--broker", required = true)
    String broker;

    @Option(names = "--queue", required = true)
    String queue;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LibrariesPublish()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        publishTask(broker, queue, "dp3q-bench libraries-publish");
        return 0;
    }

    /** Jackson writes the floor's task and {@link OnePublish} publishes it to {@code queue}. */
    static void publishTask(String uri, String queue, String connectionName) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode task = mapper.createObjectNode().put("schema", Task.SCHEMA).put("batch", "floor").put("chunk", 0);
        OnePublish.publish(uri, queue, mapper.writeValueAsBytes(task), connectionName);
    }
}
