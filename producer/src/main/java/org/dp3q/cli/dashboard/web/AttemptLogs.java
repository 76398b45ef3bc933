package org.dp3q.cli.dashboard.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Optional;
import org.dp3q.cli.dashboard.data.DashboardData;
import org.dp3q.cli.logs.Attempt;
import org.dp3q.cli.logs.LogLocation;
import org.dp3q.cli.logs.LogLocator;
import org.dp3q.cli.logs.LogReader;

/** The dashboard's log links: an attempt's full log, found and read by the same code as {@code dp3q logs}. */
@Singleton
public class AttemptLogs {
    private final DashboardData data;
    private final LogReader reader = new LogReader();

    public AttemptLogs(DashboardData data) {
        this.data = data;
    }

    HttpResponse<byte[]> read(String taskId, Integer attempt) {
        Optional<Attempt> found = data.attempt(taskId, attempt);
        if (found.isEmpty()) {
            return text(HttpStatus.NOT_FOUND, "no such attempt of " + taskId + " is known\n");
        }
        LogLocation location = LogLocator.locate(found.get(), data.workers(Instant.now()), Files::isReadable);
        try {
            return HttpResponse.ok(reader.read(location, 0));
        } catch (IOException e) {
            return text(HttpStatus.NOT_FOUND, e.getMessage() + "\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return text(HttpStatus.SERVICE_UNAVAILABLE, "interrupted\n");
        }
    }

    private static HttpResponse<byte[]> text(HttpStatus status, String message) {
        return HttpResponse.<byte[]>status(status).body(message.getBytes(StandardCharsets.UTF_8));
    }
}
