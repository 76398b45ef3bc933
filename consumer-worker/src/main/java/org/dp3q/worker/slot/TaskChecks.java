package org.dp3q.worker.slot;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.dp3q.task.InvalidTaskException;
import org.dp3q.task.Task;
import org.dp3q.task.TaskIdentity;
import org.dp3q.worker.config.ToolAllowlist;

/** What makes a task unrunnable on this worker whatever the attempt: a tool it does not allow, a missing workdir. */
final class TaskChecks {
    private TaskChecks() {
    }

    static Path executableFor(ToolAllowlist tools, Task task) throws InvalidTaskException {
        return tools.executable(task.toolOrDefault()).orElseThrow(() -> new InvalidTaskException(
                "tool '" + task.toolOrDefault() + "' is not allowed on this worker (allowed: "
                        + String.join(", ", tools.asMap().keySet()) + "); start the worker with --tool "
                        + task.toolOrDefault() + "=/path/to/executable", TaskIdentity.of(task)));
    }

    static void checkWorkdir(Task task) throws InvalidTaskException {
        if (task.workdir() == null) {
            return;
        }
        try {
            Path dir = Path.of(task.workdir());
            if (!dir.isAbsolute() || !Files.isDirectory(dir)) {
                throw new InvalidTaskException("workdir " + task.workdir() + " is not an existing directory on this worker",
                        TaskIdentity.of(task));
            }
        } catch (InvalidPathException e) {
            throw new InvalidTaskException("workdir " + task.workdir() + " is not a usable path: " + e.getMessage(),
                    TaskIdentity.of(task));
        }
    }
}
