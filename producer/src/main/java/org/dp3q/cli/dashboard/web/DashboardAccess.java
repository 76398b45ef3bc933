package org.dp3q.cli.dashboard.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may use the dashboard and what they may do: the token every request must carry (null: none needed,
 * which only a loopback bind allows) and whether actions are refused ({@code --read-only}).
 */
public record DashboardAccess(String token, boolean readOnly) {

    /** The access for a bind address; refuses a non-loopback bind without a token. */
    public static DashboardAccess forBind(String bind, String token, boolean readOnly) {
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token is empty");
        }
        if (token == null && !isLoopback(bind)) {
            throw new IllegalArgumentException("--bind " + bind + " is reachable from other machines: give --token or "
                    + "--token-file, or bind 127.0.0.1");
        }
        return new DashboardAccess(token, readOnly);
    }

    static boolean isLoopback(String bind) {
        try {
            InetAddress address = InetAddress.getByName(bind);
            return address.isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + bind + " is not an address of this machine");
        }
    }

    /** Whether {@code offered} is the token, compared in constant time; always true when none is needed. */
    public boolean admits(String offered) {
        if (token == null) {
            return true;
        }
        return offered != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                offered.getBytes(StandardCharsets.UTF_8));
    }
}
