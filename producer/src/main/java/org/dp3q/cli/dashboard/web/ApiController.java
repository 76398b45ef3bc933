package org.dp3q.cli.dashboard.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import java.time.Instant;
import java.util.List;
import org.dp3q.cli.dashboard.data.BatchSnapshot;
import org.dp3q.cli.dashboard.data.DashboardData;
import org.dp3q.cli.dashboard.view.BatchPage;
import org.dp3q.cli.dashboard.view.BatchRow;
import org.dp3q.cli.dashboard.view.FailedRow;
import org.dp3q.cli.dashboard.view.Overview;
import org.dp3q.cli.dashboard.view.WorkerRow;
import org.dp3q.codec.Json;

/** What the page polls: the overview every second, and the batch it shows. JSON, snake_case like dp3q's own. */
@Controller("/api")
public class ApiController {
    private static final int RECENT_BATCHES = 30;
    private static final int FAILED_SHOWN = 200;
    private final DashboardData data;
    private final DashboardAccess access;
    private final BrokerName broker;
    private final AttemptLogs logs;

    public ApiController(DashboardData data, DashboardAccess access, BrokerName broker, AttemptLogs logs) {
        this.data = data;
        this.access = access;
        this.broker = broker;
        this.logs = logs;
    }

    @Get(value = "/overview", produces = MediaType.APPLICATION_JSON)
    public String overview() {
        Instant now = Instant.now();
        List<BatchSnapshot> batches = data.recentBatches(RECENT_BATCHES, now);
        return Json.line(new Overview(broker.masked(), access.readOnly(), now.toString(),
                batches.stream().map(BatchRow::of).toList(),
                data.workers(now).stream().map(WorkerRow::of).toList(),
                FailedRow.of(batches, FAILED_SHOWN)));
    }

    @Get(value = "/batch", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> batch(@QueryValue String name) {
        return data.batch(name, Instant.now()).map(b -> HttpResponse.ok(Json.line(BatchPage.of(b))))
                .orElseGet(HttpResponse::notFound);
    }

    /** The full log of an attempt, read the way {@code dp3q logs} reads it. */
    @Get(value = "/log", produces = "text/plain;charset=utf-8")
    public HttpResponse<byte[]> log(@QueryValue String task, @Nullable @QueryValue Integer attempt) {
        return logs.read(task, attempt);
    }

    /** The broker as the page may show it: with its password masked. */
    public record BrokerName(String masked) {
    }
}
