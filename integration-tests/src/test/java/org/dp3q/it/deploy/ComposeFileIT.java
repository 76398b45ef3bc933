package org.dp3q.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dp3q.it.support.Cli;
import org.dp3q.it.support.RealBrokerTest;
import org.dp3q.it.support.Repo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * compose.yaml as docker-compose itself reads it ({@code docker-compose config}, which needs no Docker engine;
 * Debian's docker-compose package, installed by .ci/run): valid, the services the docs promise, a scalable
 * worker, files that exist, and command lines dp3q accepts.
 */
class ComposeFileIT extends RealBrokerTest {
    private static JsonNode services;

    @BeforeAll
    static void readConfig() throws Exception {
        String config = run(Repo.path("."), "docker-compose", "-f", "compose.yaml", "--profile", "demo", "config");
        services = new ObjectMapper(new YAMLFactory()).readTree(config).get("services");
    }

    @Test
    void docker_compose_accepts_the_file_with_broker_setup_worker_and_a_demo_profile() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        // this docker-compose lists every profile's services in 'config'; the monitoring ones run only when asked for
        assertThat(names).containsAll(List.of("rabbitmq", "setup", "worker", "demo"));
        assertThat(names).allMatch(name -> List.of("rabbitmq", "setup", "worker", "demo").contains(name)
                || services.at("/" + name + "/profiles").toString().equals("[\"monitoring\"]"));
        assertThat(services.at("/demo/profiles").toString()).isEqualTo("[\"demo\"]");
        assertThat(services.at("/rabbitmq/image").asText()).contains("management");
        assertThat(services.at("/rabbitmq/healthcheck/test").toString()).contains("rabbitmq-diagnostics");
        assertThat(services.at("/rabbitmq/volumes").toString()).contains("rabbitmq.conf", "rabbitmq-data");
        assertThat(services.at("/setup/volumes").toString()).contains("policies.json");
        for (String built : List.of("setup", "worker", "demo")) {
            assertThat(services.at("/" + built + "/build/context").asText()).as(built + " is built from this repository")
                    .isEqualTo(Repo.path(".").toString());
        }
    }

    @Test
    void the_worker_scales_drains_and_logs_in_as_the_worker_user() {
        JsonNode worker = services.get("worker");
        assertThat(worker.has("container_name")).as("--scale needs no fixed name").isFalse();
        assertThat(worker.has("ports")).as("--scale needs no fixed host port").isFalse();
        assertThat(worker.at("/depends_on/setup/condition").asText()).isEqualTo("service_completed_successfully");
        assertThat(worker.at("/stop_grace_period").asText()).isEqualTo("11m");
        assertThat(worker.at("/command").toString()).contains("\"--drain-timeout\",\"10m\"");
        assertThat(worker.at("/environment/DP3Q_BROKER").asText()).startsWith("amqp://dp3q-worker@rabbitmq:5672/");
        assertThat(worker.at("/environment/DP3Q_BROKER").asText()).doesNotContain(":****").doesNotContain("guest");
    }

    @Test
    void every_file_compose_mounts_and_the_dockerfile_copies_exists() throws Exception {
        for (String service : List.of("rabbitmq", "setup")) {
            for (JsonNode volume : services.get(service).get("volumes")) {
                String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
                if (source.startsWith("/")) {
                    assertThat(Path.of(source)).as(service + " mounts " + source).exists();
                }
            }
        }
        for (String line : Files.readAllLines(Repo.path("Dockerfile"))) {
            if (line.startsWith("COPY ") && !line.startsWith("COPY --from")) {
                String[] parts = line.substring(5).trim().split("\\s+");
                for (int i = 0; i < parts.length - 1; i++) {
                    assertThat(Repo.path(".").resolve(parts[i])).as("Dockerfile: " + line).exists();
                }
            }
        }
    }

    @Test
    void the_commands_compose_runs_are_command_lines_dp3q_accepts() throws Exception {
        List<String> demo = new ArrayList<>();
        services.at("/demo/command").forEach(arg -> demo.add(arg.asText()));
        demo.remove("--wait");
        demo.add("--dry-run");
        Cli.Result dryRun = cli().run(demo.toArray(String[]::new));
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.stdout().lines()).hasSize(12);

        List<String> worker = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("dp3q.jar.worker")));
        services.at("/worker/command").forEach(arg -> worker.add(arg.asText()));
        worker.add("--help");
        assertThat(run(workDir, worker.toArray(String[]::new))).contains("--drain-timeout");
    }

    private static String run(Path dir, String... command) throws Exception {
        Path out = Files.createTempFile(workDir, "compose", ".out");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError(command[0] + " is not installed (Debian: apt-get install --no-install-recommends "
                    + "docker-compose; .ci/run does)", e);
        }
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out);
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }
}
