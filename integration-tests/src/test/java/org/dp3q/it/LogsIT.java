package org.dp3q.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.EventLog;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/** Any attempt's full log from anywhere: the shared file system, the worker that wrote it, or a clear "gone". */
class LogsIT extends RealBrokerTest {

    @Test
    void dp3q_logs_prints_each_attempt_log_from_the_worker_that_wrote_it_in_its_own_log_dir() throws Exception {
        WorkerProcess w1 = startWorker("w1", 1, "--log-dir", workDir.resolve("logs-w1").toString(),
                "--http-port", Integer.toString(freePort()), "--announce-every", "1s");
        startWorker("w2", 1, "--log-dir", workDir.resolve("logs-w2").toString(),
                "--http-port", Integer.toString(freePort()), "--announce-every", "1s");
        awaitConsumers(2);
        submitLines(IntStream.range(0, 6).mapToObj(i -> "{\"batch\":\"twin\",\"chunk\":" + i
                + ",\"args\":[\"chunk=" + i + "\",\"standin.sleep=0.5\",\"standin.stderr=marker-of-chunk-" + i + "\"]}")
                .collect(Collectors.joining("\n")));
        assertThat(cli().run("wait", "--batch", "twin", "--progress", "none").exitCode()).isZero();
        Map<String, String> ranOn = EventLog.read(brokerUri, "twin").all().stream()
                .filter(e -> e.event() == EventType.SUCCEEDED)
                .collect(Collectors.toMap(Event::taskId, e -> e.worker().tag()));
        assertThat(ranOn.values()).contains("w1", "w2");

        for (int i = 0; i < 6; i++) {
            String task = "twin/" + i;
            Cli.Result local = cli().run("logs", task);
            assertThat(local.exitCode()).as(local.toString()).isZero();
            assertThat(local.stdout()).contains("DP3 stand-in: chunk=" + i, "marker-of-chunk-" + i);
            Cli.Result remote = cli().run("logs", task, "--from-worker", "--attempt", "1");
            assertThat(remote.exitCode()).as(remote.toString()).isZero();
            assertThat(remote.stdout()).isEqualTo(local.stdout());
        }

        String onW1 = ranOn.entrySet().stream().filter(e -> e.getValue().equals("w1")).findFirst().orElseThrow().getKey();
        w1.kill9();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Cli.Result gone = cli().run("logs", onW1, "--from-worker");
            assertThat(gone.exitCode()).as(gone.toString()).isEqualTo(3);
            assertThat(gone.stderr()).contains("is gone", "on host ", workDir.resolve("logs-w1").toString());
        });
        assertThat(cli().run("logs", "twin/99").exitCode()).isEqualTo(2);
    }

    @Test
    void follow_prints_a_running_attempt_from_its_worker_until_it_ends() throws Exception {
        startWorker("f", 1, "--log-dir", workDir.resolve("logs-f").toString(), "--http-port", Integer.toString(freePort()),
                "--announce-every", "1s");
        awaitConsumers(1);
        submitLines("{\"batch\":\"follow\",\"chunk\":0,\"args\":[\"chunk=0\",\"standin.sleep=15\","
                + "\"standin.stderr=written-at-the-end\"]}");
        Event started = await().atMost(Duration.ofSeconds(60)).until(() -> EventLog.read(brokerUri, "follow")
                .of("follow/0", EventType.STARTED).stream().findFirst().orElse(null), java.util.Objects::nonNull);
        assertThat(Files.readString(Path.of(started.log()))).as("still running").doesNotContain("\nwritten-at-the-end");

        Cli.Result followed = cli().run("logs", "follow/0", "--follow", "--from-worker");
        assertThat(followed.exitCode()).as(followed.toString()).isZero();
        assertThat(followed.stdout()).contains("DP3 stand-in: chunk=0", "\nwritten-at-the-end\n");
        assertThat(followed.stdout()).isEqualTo(Files.readString(Path.of(started.log())));
    }

    @Test
    void the_worker_serves_only_files_inside_its_log_dir() throws Exception {
        int port = freePort();
        Path logs = workDir.resolve("logs-guarded");
        startWorker("guard", 1, "--log-dir", logs.toString(), "--http-port", Integer.toString(port));
        awaitConsumers(1);
        Files.createDirectories(logs.resolve("b"));
        Files.writeString(logs.resolve("b/real.log"), "inside");
        Path secret = Files.writeString(workDir.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(logs.resolve("b/leak.log"), secret);
        Files.createSymbolicLink(logs.resolve("up"), workDir);

        assertThat(rawGet(port, "/logs/b/real.log")).startsWith("HTTP/1.1 200").contains("\ninside");
        for (String path : new String[] {"/logs/../secret.txt", "/logs/b/../../secret.txt", "/logs/..%2Fsecret.txt",
                "/logs/%2e%2e/secret.txt", "/logs/%2Fetc%2Fpasswd", "/logs//etc/passwd", "/logs/b/leak.log",
                "/logs/up/secret.txt", "/logs/.dp3q/run-registry", "/logs/b%2F..%2F..%2Fsecret.txt"}) {
            String answer = rawGet(port, path);
            assertThat(answer).as(path).startsWith("HTTP/1.1 404").doesNotContain("outside").doesNotContain("root:");
        }
    }

    /** A request sent byte for byte, so no client normalises the path first. */
    private static String rawGet(int port, String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
