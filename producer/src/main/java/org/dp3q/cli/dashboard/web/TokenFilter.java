package org.dp3q.cli.dashboard.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;

/**
 * Every request, page, data or action, must carry the token when one is set: as {@code Authorization: Bearer},
 * as the cookie this filter sets, or once as {@code ?token=} in the address a person opens. Otherwise 401.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class TokenFilter {
    static final String COOKIE = "dp3q-dashboard-token";
    private final DashboardAccess access;

    public TokenFilter(DashboardAccess access) {
        this.access = access;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (access.admits(offered(request))) {
            return null;
        }
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).contentType("text/plain")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").body("a token is required: open the dashboard's "
                        + "address with ?token=TOKEN, or send Authorization: Bearer TOKEN\n");
    }

    @ResponseFilter
    public void remember(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String fromQuery = request.getParameters().get("token");
        if (access.token() != null && fromQuery != null && access.admits(fromQuery)) {
            response.cookie(Cookie.of(COOKIE, fromQuery).httpOnly(true).sameSite(SameSite.Strict).path("/"));
        }
    }

    private static String offered(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header != null && header.startsWith("Bearer ")) {
            return header.substring("Bearer ".length()).trim();
        }
        return request.getCookies().findCookie(COOKIE).map(Cookie::getValue)
                .orElse(request.getParameters().get("token"));
    }
}
