package org.dp3q.cli.dashboard.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The page and its script and style, all from the jar: the machines that run it often have no internet. */
@Controller
public class PageController {
    private static final Map<String, String> ASSETS = Map.of(
            "index.html", "text/html;charset=utf-8",
            "dashboard.js", "text/javascript;charset=utf-8",
            "dashboard.css", "text/css;charset=utf-8");

    @Get
    public HttpResponse<byte[]> index() throws IOException {
        return asset("index.html");
    }

    @Get("/assets/{name}")
    public HttpResponse<byte[]> asset(@PathVariable String name) throws IOException {
        String type = ASSETS.get(name);
        if (type == null) {
            return HttpResponse.notFound();
        }
        try (InputStream in = PageController.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                return HttpResponse.notFound();
            }
            return HttpResponse.ok(in.readAllBytes()).contentType(MediaType.of(type))
                    .header("Cache-Control", "no-cache");
        }
    }
}
