package org.dp3q.cli.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.cli.BrokerSession;
import org.dp3q.cli.ExitCodes;
import org.dp3q.cli.dashboard.data.LiveStreams;
import org.dp3q.cli.dashboard.web.BrokerActions;
import org.dp3q.cli.dashboard.web.DashboardAccess;
import org.dp3q.cli.dashboard.web.DashboardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {
            "Serve a live web page: batches with progress, rate and ETA; a batch's chunks coloured by state and its",
            "task stream per slot; workers with what each slot runs and its CPU and memory; failed tasks with their",
            "output, full logs, and buttons that replay or cancel exactly as dp3q replay and dp3q cancel do.",
            "Runs until stopped (Ctrl-C).",
        },
        footer = {"", "Exit codes: 0 stopped, 2 usage (e.g. a non-loopback --bind without a token), 3 broker unreachable."})
public class DashboardCommand implements Callable<Integer> {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "TCP port of the page (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Any other address "
                    + "needs --token or --token-file.")
    String bind;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Every request must carry this token (open the page as http://HOST:PORT/?token=TOKEN). "
                    + "Prefer --token-file: a command line is visible to other users of the machine.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from this file's first line.")
    Path tokenFile;

    @Option(names = "--read-only", description = "Hide the replay and cancel buttons and refuse those actions.")
    boolean readOnly;

    @Override
    public Integer call() throws InterruptedException {
        DashboardAccess access;
        try {
            access = DashboardAccess.forBind(bind, token(), readOnly);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("dp3q dashboard: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try (BrokerSession session = BrokerSession.open(broker.settings(), "dashboard", List.of());
             LiveStreams data = LiveStreams.start(session.connection());
             DashboardServer server = DashboardServer.start(bind, port, access, data,
                     new BrokerActions(session.connection()), session.settings().maskedUri())) {
            String host = bind.contains(":") ? "[" + bind + "]" : bind;
            System.out.println("dashboard on http://" + host + ":" + server.port() + "/"
                    + (access.token() != null ? "?token=... (your token)" : "") + (readOnly ? " (read-only)" : ""));
            System.out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
            return ExitCodes.OK;
        } catch (BrokerUnavailableException e) {
            System.err.println("dp3q dashboard: " + e.getMessage());
            return ExitCodes.BROKER;
        } catch (IOException e) {
            System.err.println("dp3q dashboard: cannot read the broker's streams: " + e.getMessage());
            return ExitCodes.BROKER;
        } catch (RuntimeException e) {
            System.err.println("dp3q dashboard: cannot serve on " + bind + ":" + port + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    private String token() throws IOException {
        if (token != null && tokenFile != null) {
            throw new IllegalArgumentException("give --token or --token-file, not both");
        }
        if (tokenFile == null) {
            return token;
        }
        List<String> lines = Files.readAllLines(tokenFile, StandardCharsets.UTF_8);
        return lines.isEmpty() ? "" : lines.get(0).trim();
    }
}
