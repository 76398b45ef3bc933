package org.dp3q.cli.logs;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.dp3q.cli.status.WorkerRoster;
import org.dp3q.event.WorkerRef;
import org.dp3q.workers.WorkerAnnouncement;

/**
 * Decides where to read an attempt's log: here when the file is readable (a shared file system), else from a
 * live worker on its host that serves the directory it lies in (the one that wrote it first), else nowhere,
 * saying on which host and at which path it lies.
 */
public final class LogLocator {
    private static final java.util.regex.Pattern ATTEMPT_LOG =
            java.util.regex.Pattern.compile("[A-Za-z0-9._-]+\\.attempt[0-9]+(\\.r[0-9]+)?\\.[0-9T]+\\.log");

    private LogLocator() {
    }

    public static LogLocation locate(Attempt attempt, List<WorkerRoster.Seen> workers, Predicate<Path> readable) {
        Path file = Path.of(attempt.log());
        if (!isAttemptLog(file)) {
            // an event names this path; only a worker's attempt log is ever read, never any file it might name
            return new LogLocation.Unreachable("the events of " + attempt.taskId() + " name " + file
                    + ", which is not an attempt log (<log-dir>/<batch>/<task>.attempt<N>[.r<returns>].<time>.log)");
        }
        if (readable.test(file)) {
            return new LogLocation.Local(file);
        }
        WorkerRef wrote = attempt.worker();
        String host = wrote == null ? null : wrote.host();
        Optional<WorkerRoster.Seen> server = workers.stream()
                .filter(seen -> !"gone".equals(seen.state()) && !"stopped".equals(seen.state()))
                .filter(seen -> seen.last().host().equals(host) && servesFile(seen.last(), file))
                .min((a, b) -> Boolean.compare(!wroteIt(a.last(), wrote), !wroteIt(b.last(), wrote)));
        if (server.isPresent()) {
            WorkerAnnouncement a = server.get().last();
            return new LogLocation.Remote(URI.create(a.logsUrl() + urlPath(Path.of(a.logDir()).relativize(file))),
                    a.tag() + " on " + a.host());
        }
        String who = wrote == null ? "its worker" : "worker " + wrote.tag() + " (pid " + wrote.pid() + ")";
        boolean alive = wrote != null && workers.stream().anyMatch(seen -> wroteIt(seen.last(), wrote)
                && !"gone".equals(seen.state()) && !"stopped".equals(seen.state()));
        return new LogLocation.Unreachable("the log of attempt " + attempt.number() + " of " + attempt.taskId()
                + " is on host " + (host == null ? "?" : host) + " at " + file + "; " + who
                + (alive ? " does not serve logs (start workers with --http-port)" : " is gone")
                + " and the file is not readable here");
    }

    /** An absolute, normalised {@code .../<batch>/<task>.attempt<N>.<time>.log}, as workers name them. */
    static boolean isAttemptLog(Path file) {
        return file.isAbsolute() && file.equals(file.normalize()) && file.getNameCount() >= 2
                && ATTEMPT_LOG.matcher(file.getFileName().toString()).matches();
    }

    private static boolean wroteIt(WorkerAnnouncement a, WorkerRef ref) {
        return ref != null && a.host().equals(ref.host()) && ref.pid() != null && a.pid() == ref.pid();
    }

    private static boolean servesFile(WorkerAnnouncement a, Path file) {
        return a.logsUrl() != null && a.logDir() != null && file.normalize().startsWith(Path.of(a.logDir()).normalize());
    }

    static String urlPath(Path relative) {
        return StreamSupport.stream(relative.spliterator(), false)
                .map(segment -> URLEncoder.encode(segment.toString(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }
}
