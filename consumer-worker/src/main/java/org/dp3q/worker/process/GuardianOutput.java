package org.dp3q.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A guardian's standard output for one run, read as it comes: {@code started=1} once its tool has been executed,
 * then the report it writes when the tool has ended (see {@link UsageReport}), whose {@code status} line is its
 * last. Read by the slot thread alone, and never past that line: a resident guardian's next run follows.
 */
final class GuardianOutput {
    private final InputStream in;
    private final StringBuilder text = new StringBuilder();
    private final byte[] buffer = new byte[256];
    private boolean atEnd;

    GuardianOutput(InputStream in) {
        this.in = in;
    }

    /**
     * Returns once the guardian says its tool was executed, or once it has reported the tool's end or is gone (an
     * exec that failed, a killed guardian): what the worker does for a started run can then wait until the tool
     * runs, rather than compete with its start for the CPU.
     */
    void awaitStart() {
        while (!atEnd && text.indexOf("\n") < 0) {
            readSome();
        }
    }

    /** The end report, read up to its last line; empty when the guardian wrote none (it was killed). */
    Optional<UsageReport> end() {
        while (!atEnd && !complete()) {
            readSome();
        }
        return UsageReport.parse(text.toString());
    }

    private boolean complete() {
        int status = text.lastIndexOf(UsageReport.LAST_LINE);
        return status >= 0 && (status == 0 || text.charAt(status - 1) == '\n') && text.indexOf("\n", status) >= 0;
    }

    private void readSome() {
        try {
            int got = in.read(buffer);
            if (got < 0) {
                atEnd = true;
                in.close();
            } else {
                text.append(new String(buffer, 0, got, StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            atEnd = true;
        }
    }
}
