package org.dp3q.bench.floor;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dp3q.bench.broker.BenchVhost;
import org.dp3q.bench.machine.Machine;
import org.dp3q.bench.stats.Stats;
import org.dp3q.broker.topology.Topology;

/**
 * Submit → first start from the command line, against its floor. Each figure is a launch → the task delivered to a
 * prefetch-1 consumer in this JVM (where a worker would start the chunk), or → exit for the JVM alone:
 * {@code bin/dp3q submit} of one generated chunk (its own class-data archive); {@link OnePublish}, a JVM with the
 * command line's options and a class-data archive of its own that only connects, publishes the task and awaits the
 * confirm; {@link LibrariesPublish}, the same with picocli reading its two options and Jackson writing the task;
 * {@link CommandLinePublish}, the same with picocli building dp3q's own {@code submit} from the built jar instead;
 * and {@code java -version} with the same options. The five alternate, after untimed runs that learn the archives.
 * The submit minus {@link CommandLinePublish} is what the command does before its task goes out;
 * {@link CommandLinePublish} minus {@link LibrariesPublish} is what building dp3q's command line costs;
 * {@link LibrariesPublish} minus {@link OnePublish} is the libraries' start; {@link OnePublish} minus the JVM is the
 * broker's share.
 */
public final class FirstStartProbe {
    private static final String QUEUE = Topology.taskQueue(Topology.DEFAULT_POOL);
    private static final long WITHIN_S = 60;

    /** Medians (ms) of the five, over {@code samples} launches each. */
    public record Result(double submitP50, double onePublishP50, double librariesPublishP50,
                         double commandLinePublishP50, double jvmP50) {
    }

    private final BenchVhost vhost;
    private final Path repo;
    private final Path benchJar;
    private final Path workDir;
    private final List<String> javaOptions;
    private final BlockingQueue<Long> delivered = new LinkedBlockingQueue<>();

    public FirstStartProbe(BenchVhost vhost, Path repo, Path benchJar, Path workDir, String cliJavaOptions) {
        this.vhost = vhost;
        this.repo = repo;
        this.benchJar = benchJar;
        this.workDir = workDir;
        this.javaOptions = cliJavaOptions.isBlank() ? List.of() : List.of(cliJavaOptions.trim().split("\\s+"));
    }

    public Result measure(int samples) throws IOException, InterruptedException {
        Path archive = workDir.resolve("one-publish.jsa");
        Path librariesArchive = workDir.resolve("libraries-publish.jsa");
        Path commandLineArchive = workDir.resolve("command-line-publish.jsa");
        // the first submit declares the topology and writes the command's archive, the second adopts it
        exit(submit("learn-1"));
        exit(submit("learn-2"));
        try (Connection connection = vhost.connect("dp3q-bench first start")) {
            Channel channel = connection.createChannel();
            channel.basicQos(1);
            channel.basicConsume(QUEUE, false, (tag, delivery) -> {
                delivered.add(System.nanoTime());
                channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            }, tag -> { });
            exit(floor(OnePublish.class, "-XX:ArchiveClassesAtExit=" + archive, vhost.uri(), QUEUE));
            exit(floor(LibrariesPublish.class, "-XX:ArchiveClassesAtExit=" + librariesArchive, "--broker", vhost.uri(),
                    "--queue", QUEUE));
            exit(floor(CommandLinePublish.class, "-XX:ArchiveClassesAtExit=" + commandLineArchive, vhost.uri(), QUEUE));
            drain();
            List<Double> submit = new ArrayList<>();
            List<Double> onePublish = new ArrayList<>();
            List<Double> librariesPublish = new ArrayList<>();
            List<Double> commandLinePublish = new ArrayList<>();
            List<Double> jvm = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                submit.add(untilDelivered(submit("first-" + i)));
                onePublish.add(untilDelivered(floor(OnePublish.class, "-XX:SharedArchiveFile=" + archive, vhost.uri(), QUEUE)));
                librariesPublish.add(untilDelivered(floor(LibrariesPublish.class, "-XX:SharedArchiveFile=" + librariesArchive,
                        "--broker", vhost.uri(), "--queue", QUEUE)));
                commandLinePublish.add(untilDelivered(floor(CommandLinePublish.class,
                        "-XX:SharedArchiveFile=" + commandLineArchive, vhost.uri(), QUEUE)));
                jvm.add(untilExit(java(List.of("-Xshare:auto", "-version"))));
            }
            return new Result(p50(submit), p50(onePublish), p50(librariesPublish), p50(commandLinePublish), p50(jvm));
        }
    }

    private static double p50(List<Double> values) {
        return Stats.percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }

    private ProcessBuilder submit(String batch) {
        ProcessBuilder builder = new ProcessBuilder(repo.resolve("bin/dp3q").toString(), "submit", "--broker",
                vhost.uri(), "--batch", batch, "--chunks", "1", "--ntimes", "1");
        builder.environment().remove("DP3Q_BROKER");
        return builder;
    }

    /**
     * A floor's JVM: {@code main} of {@code floor} with {@code args}, and the archive option given; dp3q's command line
     * comes first on the class path of {@link CommandLinePublish}, which builds it.
     */
    private ProcessBuilder floor(Class<?> floor, String archiveOption, String... args) {
        String classPath = floor == CommandLinePublish.class
                ? repo.resolve("producer/target/dp3q-all.jar") + File.pathSeparator + benchJar : benchJar.toString();
        // no logging: the bench jar's logback reads an XML configuration, a tenth of a second the floor need not pay
        List<String> command = new ArrayList<>(List.of(archiveOption, "-Xshare:auto", "-Xlog:disable",
                "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider", "-cp", classPath, floor.getName()));
        command.addAll(List.of(args));
        return java(command);
    }

    private ProcessBuilder java(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Machine.java());
        command.addAll(javaOptions);
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /** Launch → the task delivered (ms); the process must then exit 0. */
    private double untilDelivered(ProcessBuilder builder) throws IOException, InterruptedException {
        drain();
        long start = System.nanoTime();
        Process process = started(builder);
        Long at = delivered.poll(WITHIN_S, TimeUnit.SECONDS);
        exit(process, builder);
        if (at == null) {
            throw new IOException("no task delivered within " + WITHIN_S + " s of " + builder.command());
        }
        return (at - start) / 1e6;
    }

    /** Launch → exit 0 (ms). */
    private double untilExit(ProcessBuilder builder) throws IOException, InterruptedException {
        long start = System.nanoTime();
        exit(started(builder), builder);
        return (System.nanoTime() - start) / 1e6;
    }

    private Process started(ProcessBuilder builder) throws IOException {
        return builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                workDir.resolve("first-start.out").toFile())).start();
    }

    private void exit(ProcessBuilder builder) throws IOException, InterruptedException {
        exit(started(builder), builder);
    }

    private void exit(Process process, ProcessBuilder builder) throws IOException, InterruptedException {
        if (!process.waitFor(WITHIN_S, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(builder.command() + " did not end within " + WITHIN_S + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(builder.command() + " exited " + process.exitValue() + "; see "
                    + workDir.resolve("first-start.out"));
        }
    }

    /** Forgets deliveries of untimed runs. */
    private void drain() throws InterruptedException {
        while (delivered.poll(50, TimeUnit.MILLISECONDS) != null) {
            // an untimed run's task
        }
    }
}
