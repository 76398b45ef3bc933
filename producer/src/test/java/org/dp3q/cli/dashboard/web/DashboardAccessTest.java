package org.dp3q.cli.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DashboardAccessTest {

    @Test
    void loopback_needs_no_token() {
        assertTrue(DashboardAccess.forBind("127.0.0.1", null, false).admits(null));
        assertTrue(DashboardAccess.forBind("::1", null, false).admits(null));
    }

    @Test
    void any_other_address_without_a_token_is_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DashboardAccess.forBind("0.0.0.0", null, false));
        assertTrue(e.getMessage().contains("--token"));
    }

    @Test
    void with_a_token_only_that_token_is_admitted() {
        DashboardAccess access = DashboardAccess.forBind("0.0.0.0", "s3cret", false);
        assertTrue(access.admits("s3cret"));
        assertFalse(access.admits(null));
        assertFalse(access.admits("s3cre"));
        assertThrows(IllegalArgumentException.class, () -> DashboardAccess.forBind("0.0.0.0", " ", false));
    }
}
