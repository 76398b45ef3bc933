package org.dp3q.worker.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One subprocess to start: the executable's absolute path and its argv (never seen by a shell), the
 * working directory, environment additions, the attempt's log file and an optional wall-clock limit.
 */
public record LaunchSpec(Path executable, List<String> args, Path workdir, Map<String, String> env, Path log,
                         Duration timeout) {
}
