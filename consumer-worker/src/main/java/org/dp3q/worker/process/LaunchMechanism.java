package org.dp3q.worker.process;

/**
 * How the JVM starts subprocesses. By default Java 17 starts each through its {@code jspawnhelper}, which
 * costs one more exec per task (milliseconds on a loaded host); {@code VFORK} execs the command directly.
 * Later Java versions deprecate {@code VFORK}, so it is only chosen where it is supported without a warning,
 * and never over a choice made with {@code -Djdk.lang.Process.launchMechanism}.
 */
public final class LaunchMechanism {
    static final String PROPERTY = "jdk.lang.Process.launchMechanism";
    private static final int LAST_FEATURE_WITHOUT_DEPRECATION = 21;

    private LaunchMechanism() {
    }

    /** Call before the first subprocess starts: the JVM reads the property once. */
    public static void preferVfork() {
        if (System.getProperty(PROPERTY) == null && Runtime.version().feature() <= LAST_FEATURE_WITHOUT_DEPRECATION) {
            System.setProperty(PROPERTY, "VFORK");
        }
    }
}
