package org.dp3q.worker.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The executables this worker may run, by the name a task gives in {@code tool}; a task never names a path. */
public final class ToolAllowlist {
    public static final String DEFAULT_TOOL = "DP3";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._+-]{1,64}");

    private final Map<String, Path> tools;

    private ToolAllowlist(Map<String, Path> tools) {
        this.tools = Map.copyOf(tools);
    }

    /**
     * From {@code NAME=PATH} entries; with none, {@code DP3} as found on {@code PATH}.
     *
     * @throws IllegalArgumentException with a message saying what to fix
     */
    public static ToolAllowlist parse(List<String> entries, String searchPath) {
        Map<String, Path> tools = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("--tool takes NAME=PATH, got '" + entry + "'");
            }
            String name = entry.substring(0, eq);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("tool name '" + name + "' must match " + NAME);
            }
            Path path = resolve(entry.substring(eq + 1), searchPath)
                    .orElseThrow(() -> new IllegalArgumentException("--tool " + entry + ": not an executable file"));
            tools.put(name, path);
        }
        if (tools.isEmpty()) {
            Path dp3 = resolve(DEFAULT_TOOL, searchPath).orElseThrow(() -> new IllegalArgumentException(
                    DEFAULT_TOOL + " is not on PATH; name the executable with --tool DP3=/path/to/DP3"));
            tools.put(DEFAULT_TOOL, dp3);
        }
        return new ToolAllowlist(tools);
    }

    private static Optional<Path> resolve(String command, String searchPath) {
        if (command.contains("/")) {
            Path path = Path.of(command).toAbsolutePath().normalize();
            return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command).toAbsolutePath().normalize();
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public Optional<Path> executable(String tool) {
        return Optional.ofNullable(tools.get(tool));
    }

    public Map<String, Path> asMap() {
        return tools;
    }
}
