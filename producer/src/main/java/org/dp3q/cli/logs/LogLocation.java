package org.dp3q.cli.logs;

import java.net.URI;
import java.nio.file.Path;

/** Where an attempt's log can be read from, or why it cannot. */
public sealed interface LogLocation {
    /** On a file system this process sees (the worker's own, or a shared one). */
    record Local(Path file) implements LogLocation {
    }

    /** From the worker that wrote it, over HTTP ({@code dp3q-worker --http-port}). */
    record Remote(URI url, String worker) implements LogLocation {
    }

    /** Nowhere reachable; {@code message} says where it is and why it cannot be read. */
    record Unreachable(String message) implements LogLocation {
    }
}
