package io.pressroom.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.BodyLimit;
import io.pressroom.common.ProblemMapper;
import io.pressroom.config.PressroomConfig;
import io.vertx.ext.web.RoutingContext;

/**
 * The request bodies an API pod holds in memory at once, {@code pressroom.http.bodies-in-flight} (by default a
 * sixteenth of the heap): a body is read whole and parsed before its request runs, at several times its size in the
 * heap, so eight clients each sending a 4 MB payload took a 512 MiB pod past its memory limit, and the kernel killed
 * it with every request it held. A request reserves its body's bytes (its {@code Content-Length}, or
 * {@code max-body-size} when chunked) after its key is checked and before the body is read, and gives them back when
 * its response ends; one that does not fit gets 503 {@code server_busy} with {@code Retry-After}, unread. One project
 * may hold at most half of the budget, so that no tenant's uploads stall everyone's. A body larger than the budget
 * needs the whole of it (of its project's half): it passes at a quiet moment rather than never.
 * <p>
 * Counted in KiB so that the budget fits a {@link Semaphore}'s permits.
 */
@ApplicationScoped
public class BodyBudget {

    private static final long KIB = 1024;

    private final int capacity;
    private final int perProject;
    private final long maxBody;
    private final Semaphore pod;
    private final Map<String, Semaphore> projects = new ConcurrentHashMap<>();
    private final Caller caller;

    public BodyBudget(Caller caller, PressroomConfig config) {
        this.caller = caller;
        long bytes = config.http().bodiesInFlight().map(size -> size.asLongValue())
                .orElseGet(() -> Runtime.getRuntime().maxMemory() / 16);
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / KIB));
        this.perProject = Math.max(1, capacity / 2);
        this.maxBody = config.http().maxBodySize().asLongValue();
        this.pod = new Semaphore(capacity);
    }

    /** After the key's check and the rate limit, before the body is read. */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 10)
    public Response reserve(ContainerRequestContext request, RoutingContext http) {
        long bytes = bodyBytes(request);
        if (bytes <= 0) {
            return null;
        }
        Semaphore project = caller.isProject()
                ? projects.computeIfAbsent(caller.projectId(), ignored -> new Semaphore(perProject))
                : null;
        int permits = (int) Math.min((bytes + KIB - 1) / KIB, project != null ? perProject : capacity);
        if (project != null && !project.tryAcquire(permits)) {
            return busy(request, http, "this project's requests already hold their share of the memory for request "
                    + "bodies on this server");
        }
        if (!pod.tryAcquire(permits)) {
            if (project != null) {
                project.release(permits);
            }
            return busy(request, http, "the server holds as many request bodies as its memory allows");
        }
        http.addEndHandler(ended -> {
            pod.release(permits);
            if (project != null) {
                project.release(permits);
            }
        });
        return null;
    }

    /** The declared length, the largest body for a chunked one, 0 for none. */
    private long bodyBytes(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaderNames.CONTENT_LENGTH.toString());
        if (length != null) {
            return BodyLimit.declared(length);
        }
        return request.getHeaderString(HttpHeaderNames.TRANSFER_ENCODING.toString()) != null ? maxBody : 0;
    }

    private static Response busy(ContainerRequestContext request, RoutingContext http, String detail) {
        BodyLimit.closeAfterResponse(http); // the body stays unread
        return ProblemMapper.respond(ApiProblem.serverBusy(detail), request.getUriInfo());
    }
}
