package org.dp3q.worker.process;

import java.util.regex.Pattern;

/** Names that are safe as one file name, whatever a task or a host calls itself. */
public final class FileNames {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private FileNames() {
    }

    /** {@code name} with every character but letters, digits, '.', '_' and '-' replaced by '_'. */
    public static String safe(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-')) {
                return UNSAFE.matcher(name).replaceAll("_");
            }
        }
        // a task's name is nearly always safe already: no matcher is made on every task's start
        return name;
    }
}
