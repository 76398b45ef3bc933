package org.dp3q.worker.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The last lines of an attempt's log, at most {@link #MAX_BYTES}, so a failure can be read without the file. */
public final class LogTail {
    public static final int MAX_BYTES = 4096;

    private LogTail() {
    }

    public static String of(Path log) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (size < length) {
                int firstLineBreak = text.indexOf('\n');
                text = firstLineBreak >= 0 ? text.substring(firstLineBreak + 1) : text;
            }
            // a cut multi-byte character becomes U+FFFD, which may widen the text past the limit
            while (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                text = text.substring(1);
            }
            while (text.startsWith("\uFFFD")) {
                text = text.substring(1);
            }
            return text.strip();
        } catch (IOException e) {
            return "";
        }
    }
}
