package io.pressroom.auth;

import java.util.OptionalLong;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.pressroom.common.ApiProblem;
import io.pressroom.common.ProblemMapper;
import io.pressroom.common.Refusal;
import io.pressroom.common.RequestDeadline;
import io.pressroom.config.PressroomConfig;
import io.pressroom.project.service.ActiveKeys;
import io.pressroom.project.service.ApiKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Authenticates every {@code /v1} request: {@code /v1/projects…} with the admin key, everything else with a
 * project key ({@code Authorization: Bearer prk_…}), looked up by its hash ({@link ActiveKeys}). The web console's data
 * fragments ({@code /console/fragments/…}) are authenticated like the API: its pages are a static shell, and every
 * piece of a project's data comes through those fragments, with the key the browser holds. A client address with too
 * many failed authentications ({@link AuthFailures}) is refused with 429 first, before any key is checked or looked
 * up. The address is the connection's peer, or what a trusted proxy says in {@code X-Forwarded-For}/{@code Forwarded}
 * when Quarkus's {@code quarkus.http.proxy.*} settings trust it (docs/operations.md).
 */
public class AuthFilter {

    private static final String BEARER = "Bearer ";
    private static final String DOWNLOADS = "/v1/downloads/";
    private static final String CONSOLE_FRAGMENTS = "/console/fragments/";

    private final ActiveKeys keys;
    private final PressroomConfig config;
    private final Caller caller;
    private final RequestDeadline deadline;
    private final AuthFailures failures;

    public AuthFilter(ActiveKeys keys, PressroomConfig config, Caller caller, RequestDeadline deadline,
            AuthFailures failures) {
        this.keys = keys;
        this.deadline = deadline;
        this.config = config;
        this.caller = caller;
        this.failures = failures;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        boolean api = path.startsWith("/v1/") || path.equals("/v1") || path.startsWith(CONSOLE_FRAGMENTS);
        if (!api || path.startsWith(DOWNLOADS)) {
            // signed download links carry their own credential
            return Uni.createFrom().nullItem();
        }
        String address = clientAddress(http);
        OptionalLong refused = failures.refusedFor(address);
        if (refused.isPresent()) {
            return Uni.createFrom().item(ProblemMapper.respond(ApiProblem.tooMany("too_many_auth_failures",
                    "too many failed authentications from this address; retry after " + refused.getAsLong() + " s",
                    refused.getAsLong()), request.getUriInfo()));
        }
        String token = bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            return deny(request, address, "missing API key: send Authorization: Bearer <key>");
        }
        if (path.equals("/v1/projects") || path.startsWith("/v1/projects/")) {
            boolean admin = config.adminKey().map(expected -> ApiKeys.sameSecret(expected, token)).orElse(false);
            return admin ? Uni.createFrom().nullItem() : deny(request, address, "this endpoint needs the admin key");
        }
        if (!ApiKeys.looksValid(token)) {
            return deny(request, address, "invalid API key");
        }
        return deadline.database(keys.projectOf(ApiKeys.hash(token)))
                .onItem().transform(projectId -> {
                    if (projectId == null) {
                        failures.failed(address);
                        return problem(request, "invalid or revoked API key");
                    }
                    caller.authenticate(projectId);
                    return (Response) null;
                })
                // the database is away: 503 at once, rather than a request that hangs or a 500
                .onFailure(Refusal.class).recoverWithItem(refusal -> ProblemMapper.respond(
                        ProblemMapper.toProblem((Refusal) refusal), request.getUriInfo()));
    }

    private static String bearerToken(String header) {
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }

    /** The peer, or the client a trusted proxy names (Quarkus resolves it, see quarkus.http.proxy.*). */
    private static String clientAddress(HttpServerRequest http) {
        SocketAddress remote = http.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    }

    private Uni<Response> deny(ContainerRequestContext request, String address, String detail) {
        failures.failed(address);
        return Uni.createFrom().item(problem(request, detail));
    }

    private static Response problem(ContainerRequestContext request, String detail) {
        Response response = ProblemMapper.respond(ApiProblem.unauthorized(detail), request.getUriInfo());
        response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pressroom\"");
        return response;
    }
}
