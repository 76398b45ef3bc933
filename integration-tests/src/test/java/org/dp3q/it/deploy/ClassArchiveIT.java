package org.dp3q.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dp3q.it.support.Jars;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/dp3q learns its class archive: the first submit that succeeds writes it, the next run adopts it, and later
 * runs map it (the JVM refuses to start with -Xshare:on otherwise); a run that failed leaves nothing to adopt,
 * and no JVM line ever lands in --json output. A copy of the launcher and the jar, so the checkout's own
 * archive is not touched.
 */
class ClassArchiveIT extends RealBrokerTest {
    @TempDir
    Path install;

    @Test
    void the_first_good_submit_teaches_the_archive_that_later_commands_map() throws Exception {
        Path jar = layout();
        Path target = jar.getParent();

        assertThat(dp3q(null, "submit", "--batch", "cds", "--no-such-option").exitCode).isEqualTo(2);
        Result failedOnce = dp3q(null, "status", "--json");
        assertThat(failedOnce.exitCode).as(failedOnce.err).isZero();
        assertThat(archives(target)).as("a failed run's classes are not adopted").doesNotContain("dp3q-all.jsa");

        Result trained = dp3q(null, "submit", "--batch", "cds", "--chunks", "2", "--ntimes", "1");
        assertThat(trained.exitCode).as(trained.err).isZero();
        assertThat(archives(target)).anyMatch(name -> name.matches("dp3q-all\\.\\d+\\.tmp\\.jsa\\.ok"));

        Result adopting = dp3q(null, "status", "--json");
        assertThat(adopting.exitCode).as(adopting.err).isZero();
        new ObjectMapper().readTree(adopting.out);
        assertThat(archives(target)).containsExactly("dp3q-all.jsa");

        // -Xshare:on: the JVM exits with an error unless it maps its archives; the class log names the learned one
        Path loads = install.resolve("class-loads.txt");
        Result mapped = dp3q("-XX:+UseSerialGC -Xshare:on -Xlog:class+load=info:file=" + loads, "status", "--json");
        assertThat(mapped.exitCode).as(mapped.err).isZero();
        new ObjectMapper().readTree(mapped.out);
        assertThat(Files.readString(loads)).contains("org.dp3q.cli.Dp3qCommand source: shared objects file (top)");
    }

    @Test
    void the_wait_after_the_submit_that_taught_the_archive_maps_its_reading_of_events_from_it() throws Exception {
        layout();
        Result trained = dp3q(null, "submit", "--batch", "cds-wait", "--chunks", "2", "--ntimes", "1");
        assertThat(trained.exitCode).as(trained.err).isZero();

        // a submit writes events and never reads one; the barrier after it reads them all
        Path loads = install.resolve("wait-loads.txt");
        Result waited = dp3q("-XX:+UseSerialGC -Xshare:on -Xlog:class+load=info:file=" + loads, "wait", "--batch",
                "cds-wait", "--timeout", "1s");
        assertThat(waited.err).contains("cds-wait: 0 done");
        List<String> fromJar = Files.readAllLines(loads).stream()
                .filter(line -> line.contains(" source: file:"))
                .filter(line -> line.matches(".* (com\\.fasterxml|picocli|org\\.dp3q\\.event)\\..*"))
                .toList();
        assertThat(fromJar).as("classes the wait read from the jar, not the archive").isEmpty();
    }

    @Test
    void launchers_started_together_adopt_one_archive_without_a_word_on_stderr() throws Exception {
        Path jar = layout();
        Result trained = dp3q(null, "submit", "--batch", "cds-race", "--chunks", "2", "--ntimes", "1");
        assertThat(trained.exitCode).as(trained.err).isZero();
        assertThat(archives(jar.getParent())).anyMatch(name -> name.matches("dp3q-all\\.\\d+\\.tmp\\.jsa"));

        // what a pipeline does when it starts its workers at once: each launcher finds the same learned archive
        List<java.util.concurrent.Future<Result>> runs = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            for (int i = 0; i < 6; i++) {
                runs.add(pool.submit(() -> dp3q(null, "status", "--json")));
            }
            for (var run : runs) {
                Result result = run.get(180, TimeUnit.SECONDS);
                assertThat(result.exitCode).as(result.err).isZero();
                assertThat(result.err).as("stderr of a launcher").isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(archives(jar.getParent())).containsExactly("dp3q-all.jsa");
    }

    @Test
    void a_launcher_copied_without_its_archive_helper_still_runs() throws Exception {
        layout(List.of("bin/dp3q"));
        Result status = dp3q(null, "status", "--json");
        assertThat(status.exitCode).as(status.err).isZero();
        new ObjectMapper().readTree(status.out);
    }

    private Path layout() throws IOException {
        return layout(List.of("bin/dp3q", "bin/class-archive.sh"));
    }

    private Path layout(List<String> scripts) throws IOException {
        Files.createDirectories(install.resolve("bin"));
        for (String script : scripts) {
            Path copy = install.resolve(script);
            Files.copy(Repo.path(script), copy);
            copy.toFile().setExecutable(true);
        }
        Path jar = install.resolve("producer/target/dp3q-all.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(Path.of(Jars.producer()), jar);
        return jar;
    }

    private static List<String> archives(Path target) throws IOException {
        try (var files = Files.list(target)) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.contains(".jsa")).sorted().toList();
        }
    }

    private record Result(int exitCode, String out, String err) {
    }

    private Result dp3q(String javaOpts, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(install.resolve("bin/dp3q").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(install, "out", ".txt");
        Path err = Files.createTempFile(install, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("DP3Q_BROKER", brokerUri);
        builder.environment().put("PATH", Path.of(Jars.java()).getParent() + ":" + System.getenv("PATH"));
        if (javaOpts != null) {
            builder.environment().put("DP3Q_JAVA_OPTS", javaOpts);
        }
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
