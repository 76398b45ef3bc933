package org.dp3q.worker.logs;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.types.files.StreamedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code GET /logs/<batch>/<file>}: an attempt log this worker wrote, read-only, as plain text; 404 for
 * anything outside {@code --log-dir}. {@code ?offset=N} starts at byte N, so a follower fetches only what is
 * new; the {@code X-Log-Size} header tells the file's size when the answer was made.
 */
@Controller("/logs")
@Requires(beans = LogDirectory.class)
public class LogController {
    static final MediaType TEXT = MediaType.of("text/plain;charset=utf-8");
    private final LogDirectory directory;

    public LogController(LogDirectory directory) {
        this.directory = directory;
    }

    @Get(uri = "/{+path}", produces = "text/plain")
    public HttpResponse<StreamedFile> log(@PathVariable String path, @QueryValue(defaultValue = "0") long offset)
            throws IOException {
        Optional<Path> file = directory.resolve(path);
        if (file.isEmpty() || offset < 0) {
            return HttpResponse.notFound();
        }
        long size = Files.size(file.get());
        InputStream in = Files.newInputStream(file.get());
        in.skipNBytes(Math.min(offset, size));
        return HttpResponse.ok(new StreamedFile(in, TEXT)).header("X-Log-Size", Long.toString(size))
                .header("Cache-Control", "no-cache");
    }
}
