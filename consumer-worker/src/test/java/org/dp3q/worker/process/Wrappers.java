package org.dp3q.worker.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The ways this host can start a tool: the dp3q-exec helper when the build made one, and util-linux. */
final class Wrappers {
    /** Under the module's build directory, where the test run may leave it. */
    private static final Path UNPACK_DIR = Path.of("target", "dp3q-exec-test").toAbsolutePath();

    private Wrappers() {
    }

    static ExecWrapper preferred() {
        return ExecWrapper.detect(UNPACK_DIR);
    }

    /** The dp3q-exec helper, which can also guard, when the build made one for this host. */
    static java.util.Optional<ExecWrapper> helper() {
        return ExecWrapper.helper(UNPACK_DIR);
    }

    static List<ExecWrapper> all() {
        List<ExecWrapper> all = new ArrayList<>();
        ExecWrapper.helper(UNPACK_DIR).ifPresent(all::add);
        all.add(ExecWrapper.utilLinux());
        return all;
    }
}
