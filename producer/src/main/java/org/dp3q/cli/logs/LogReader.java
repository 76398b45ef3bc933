package org.dp3q.cli.logs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads an attempt log from a byte offset on, from this machine's files or from the worker that serves it. */
public final class LogReader {
    private static final int MAX_LOCAL_READ = 8 << 20;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The bytes from {@code offset} to the end as it is now; an IOException says why they cannot be read. */
    public byte[] read(LogLocation location, long offset) throws IOException, InterruptedException {
        if (location instanceof LogLocation.Local local) {
            try (RandomAccessFile file = new RandomAccessFile(local.file().toFile(), "r")) {
                long left = Math.max(0, file.length() - offset);
                byte[] bytes = new byte[(int) Math.min(left, MAX_LOCAL_READ)];
                file.seek(offset);
                file.readFully(bytes);
                return bytes;
            }
        }
        if (location instanceof LogLocation.Remote remote) {
            URI url = URI.create(remote.url() + "?offset=" + offset);
            HttpResponse<byte[]> response;
            try {
                response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new IOException("worker " + remote.worker() + " does not answer at " + url.getHost() + ":"
                        + url.getPort() + " (" + e.getMessage() + ")", e);
            }
            if (response.statusCode() != 200) {
                throw new IOException("worker " + remote.worker() + " no longer has " + remote.url().getPath()
                        + " (HTTP " + response.statusCode() + "); it may have been removed by --log-retention");
            }
            return response.body();
        }
        throw new IOException(((LogLocation.Unreachable) location).message());
    }
}
