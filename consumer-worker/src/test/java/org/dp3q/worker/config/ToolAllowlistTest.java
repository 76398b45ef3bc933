package org.dp3q.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolAllowlistTest {
    @TempDir
    Path dir;

    @Test
    void name_equals_path_allows_that_executable_under_that_name() throws IOException {
        Path dp3 = executable(dir.resolve("bin/DP3"));
        Path wsclean = executable(dir.resolve("opt/wsclean"));

        ToolAllowlist tools = ToolAllowlist.parse(List.of("DP3=" + dp3, "wsclean=" + wsclean), null);

        assertEquals(Map.of("DP3", dp3, "wsclean", wsclean), tools.asMap());
        assertEquals(Optional.of(dp3), tools.executable("DP3"));
        assertEquals(Optional.empty(), tools.executable("/usr/bin/rm"));
        assertEquals(Optional.empty(), tools.executable("dp3"));
    }

    @Test
    void a_path_with_dot_segments_is_normalized() throws IOException {
        Path dp3 = executable(dir.resolve("bin/DP3"));

        ToolAllowlist tools = ToolAllowlist.parse(List.of("DP3=" + dir + "/bin/../bin/./DP3"), null);

        assertEquals(Optional.of(dp3), tools.executable("DP3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DP3", "=/usr/bin/DP3", "DP3=", ""})
    void an_entry_that_is_not_name_equals_path_is_rejected(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ToolAllowlist.parse(List.of(entry), null));

        assertEquals("--tool takes NAME=PATH, got '" + entry + "'", e.getMessage());
    }

    @Test
    void a_name_tasks_could_not_use_is_rejected() throws IOException {
        Path dp3 = executable(dir.resolve("DP3"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ToolAllowlist.parse(List.of("my tool=" + dp3), null));

        assertTrue(e.getMessage().startsWith("tool name 'my tool' must match"), e.getMessage());
    }

    @Test
    void a_missing_file_is_rejected_naming_the_entry() {
        String entry = "DP3=" + dir.resolve("no/such/DP3");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ToolAllowlist.parse(List.of(entry), null));

        assertEquals("--tool " + entry + ": not an executable file", e.getMessage());
    }

    @Test
    void a_file_that_is_not_executable_is_rejected() throws IOException {
        Path plain = Files.writeString(dir.resolve("DP3"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ToolAllowlist.parse(List.of("DP3=" + plain), null));

        assertTrue(e.getMessage().contains("not an executable file"), e.getMessage());
    }

    @Test
    void a_directory_is_rejected() throws IOException {
        Path directory = Files.createDirectories(dir.resolve("DP3"));

        assertThrows(IllegalArgumentException.class, () -> ToolAllowlist.parse(List.of("DP3=" + directory), null));
    }

    @Test
    void a_relative_path_that_does_not_exist_is_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ToolAllowlist.parse(List.of("DP3=no-such-dir/DP3"), dir.toString()));

        assertTrue(e.getMessage().contains("not an executable file"), e.getMessage());
    }

    @Test
    void without_entries_dp3_is_looked_up_on_the_given_path() throws IOException {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        Path third = Files.createDirectories(dir.resolve("third"));
        Files.writeString(first.resolve("DP3"), "not executable");
        Path dp3 = executable(second.resolve("DP3"));
        executable(third.resolve("DP3"));

        ToolAllowlist tools = ToolAllowlist.parse(List.of(), first + ":" + dir.resolve("missing") + ":" + second + ":" + third);

        assertEquals(Map.of("DP3", dp3), tools.asMap());
    }

    @Test
    void a_bare_command_in_an_entry_is_looked_up_on_the_path() throws IOException {
        Path wsclean = executable(dir.resolve("bin/wsclean"));

        ToolAllowlist tools = ToolAllowlist.parse(List.of("imager=wsclean"), dir.resolve("bin").toString());

        assertEquals(Map.of("imager", wsclean), tools.asMap());
    }

    @Test
    void without_entries_and_without_dp3_on_the_path_the_message_says_what_to_do() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        for (String path : new String[] {empty.toString(), null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ToolAllowlist.parse(List.of(), path));
            assertEquals("DP3 is not on PATH; name the executable with --tool DP3=/path/to/DP3", e.getMessage());
        }
    }

    @Test
    void the_allowlist_cannot_be_changed_afterwards() throws IOException {
        ToolAllowlist tools = ToolAllowlist.parse(List.of("DP3=" + executable(dir.resolve("DP3"))), null);

        assertThrows(UnsupportedOperationException.class, () -> tools.asMap().put("sh", Path.of("/bin/sh")));
    }

    private static Path executable(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }
}
