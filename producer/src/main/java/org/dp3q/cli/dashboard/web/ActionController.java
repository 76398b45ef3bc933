package org.dp3q.cli.dashboard.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import java.util.List;
import java.util.Set;
import org.dp3q.codec.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buttons: replay a failed task or a batch's failed tasks, cancel a batch. Refused with 403 by a
 * {@code --read-only} dashboard, and without the {@code X-Dp3q-Action} header a page of another site cannot
 * send (it would need the browser's permission first).
 */
@Controller("/api/actions")
public class ActionController {
    static final String ACTION_HEADER = "X-Dp3q-Action";
    private static final Logger LOG = LoggerFactory.getLogger(ActionController.class);
    private final DashboardActions actions;
    private final DashboardAccess access;

    public ActionController(DashboardActions actions, DashboardAccess access) {
        this.actions = actions;
        this.access = access;
    }

    @Post(value = "/replay", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> replay(HttpRequest<?> request, @QueryValue String batch, @Nullable @QueryValue Integer chunk) {
        HttpResponse<String> refused = refused(request);
        if (refused != null) {
            return refused;
        }
        try {
            List<String> lines = actions.replay(batch, chunk == null ? Set.of() : Set.of(chunk));
            LOG.info("dashboard: replay of batch {}{}: {}", batch, chunk == null ? "" : " chunk " + chunk, lines);
            return HttpResponse.ok(Json.line(new Done(lines)));
        } catch (Exception e) {
            return failed("replay", e);
        }
    }

    @Post(value = "/cancel", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> cancel(HttpRequest<?> request, @QueryValue String batch) {
        HttpResponse<String> refused = refused(request);
        if (refused != null) {
            return refused;
        }
        try {
            actions.cancel(batch);
            LOG.info("dashboard: cancel of batch {} sent to every worker", batch);
            return HttpResponse.ok(Json.line(new Done(List.of("cancel of batch " + batch + " sent to every worker"))));
        } catch (Exception e) {
            return failed("cancel", e);
        }
    }

    /** What an action did, one line per task or step. */
    record Done(List<String> lines) {
    }

    private HttpResponse<String> refused(HttpRequest<?> request) {
        if (access.readOnly()) {
            return HttpResponse.<String>status(HttpStatus.FORBIDDEN).body("{\"error\":\"this dashboard is read-only\"}");
        }
        if (request.getHeaders().get(ACTION_HEADER) == null) {
            return HttpResponse.<String>status(HttpStatus.FORBIDDEN).body("{\"error\":\"missing " + ACTION_HEADER + " header\"}");
        }
        return null;
    }

    private static HttpResponse<String> failed(String what, Exception e) {
        LOG.warn("dashboard: {} failed: {}", what, e.toString());
        return HttpResponse.<String>status(HttpStatus.BAD_GATEWAY)
                .body(Json.line(java.util.Map.of("error", what + " failed: " + e.getMessage())));
    }
}
