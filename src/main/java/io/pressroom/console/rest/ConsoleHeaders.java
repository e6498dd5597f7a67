package io.pressroom.console.rest;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.pressroom.common.ApiProblem;
import io.pressroom.common.ProblemMapper;
import io.pressroom.config.PressroomConfig;

/**
 * The console exists only where the API runs: a renderer answers 404 for it (it has no database to show). Every
 * console response, pages, fragments, assets and refusals alike, carries a strict Content-Security-Policy: nothing
 * inline, nothing from another origin, no framing, so that a template author's data shown in the console can
 * never run as script, and the key in the browser's session storage can only travel to this API.
 */
public class ConsoleHeaders {

    static final String PREFIX = "/console";
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final PressroomConfig config;

    public ConsoleHeaders(PressroomConfig config) {
        this.config = config;
    }

    /** Before authentication: a renderer says nothing about keys for a console it does not serve. */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
    public Response onlyInTheApiRole(ContainerRequestContext request) {
        if (isConsole(request.getUriInfo().getPath()) && !config.role().runsApi()) {
            return ProblemMapper.respond(ApiProblem.of(404, "not_found",
                    "the console is served by the API role; this server runs the renderer role only"),
                    request.getUriInfo());
        }
        return null;
    }

    @ServerResponseFilter
    public void secure(ContainerRequestContext request, ContainerResponseContext response) {
        if (!isConsole(request.getUriInfo().getPath())) {
            return;
        }
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.putSingle("Content-Security-Policy", POLICY);
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("Referrer-Policy", "no-referrer");
        headers.putSingle("Cross-Origin-Opener-Policy", "same-origin");
        if (!headers.containsKey("Cache-Control")) {
            // fragments hold a project's data: never kept by the browser or a proxy
            headers.putSingle("Cache-Control", "no-store");
        }
    }

    static boolean isConsole(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }
}
