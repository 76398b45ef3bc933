package org.dp3q.it.support;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A running {@code dp3q dashboard}, with the address it printed. */
public final class DashboardProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("dashboard on (http://\\S+?/)");
    private final Cli.Running running;
    private final URI url;

    private DashboardProcess(Cli.Running running, URI url) {
        this.running = running;
        this.url = url;
    }

    /** Starts {@code dp3q dashboard args...} and waits until it prints its address. */
    public static DashboardProcess start(Cli cli, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "dashboard";
        System.arraycopy(args, 0, command, 1, args.length);
        Cli.Running running = cli.start(null, command);
        String[] found = new String[1];
        org.awaitility.Awaitility.await("the dashboard's address").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!running.process().isAlive()) {
                        throw new AssertionError("dp3q dashboard exited: " + Files.readString(running.err()));
                    }
                    Matcher m = URL.matcher(Files.readString(running.out()));
                    if (m.find()) {
                        found[0] = m.group(1);
                    }
                    return found[0] != null;
                });
        return new DashboardProcess(running, URI.create(found[0]));
    }

    public URI url() {
        return url;
    }

    public long pid() {
        return running.process().pid();
    }

    @Override
    public void close() throws Exception {
        running.process().destroy();
        if (!running.process().waitFor(20, TimeUnit.SECONDS)) {
            running.process().destroyForcibly();
        }
    }
}
