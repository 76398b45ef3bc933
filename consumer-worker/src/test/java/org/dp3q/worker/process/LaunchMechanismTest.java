package org.dp3q.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LaunchMechanismTest {
    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(LaunchMechanism.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(LaunchMechanism.PROPERTY);
        } else {
            System.setProperty(LaunchMechanism.PROPERTY, before);
        }
    }

    @Test
    void vfork_is_chosen_on_java_17_to_21_when_nothing_else_was() {
        assumeTrue(Runtime.version().feature() <= 21, "VFORK is deprecated after Java 21");
        System.clearProperty(LaunchMechanism.PROPERTY);

        LaunchMechanism.preferVfork();

        assertEquals("VFORK", System.getProperty(LaunchMechanism.PROPERTY));
    }

    @Test
    void a_mechanism_chosen_on_the_command_line_is_kept() {
        System.setProperty(LaunchMechanism.PROPERTY, "POSIX_SPAWN");

        LaunchMechanism.preferVfork();

        assertEquals("POSIX_SPAWN", System.getProperty(LaunchMechanism.PROPERTY));
    }
}
