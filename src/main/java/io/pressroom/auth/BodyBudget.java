package io.pressroom.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.BodyLimit;
import io.pressroom.common.CountedBodies;
import io.pressroom.common.ProblemMapper;
import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * The request bodies an API pod holds in memory at once, {@code pressroom.http.bodies-in-flight} (by default a
 * sixteenth of the heap): a body is read whole and parsed before its request runs, at several times its size in the
 * heap, so eight clients each sending a 4 MB payload took a 512 MiB pod past its memory limit, and the kernel killed
 * it with every request it held. A request reserves its body's bytes after its key is checked and gives them back
 * when its response ends. A declared {@code Content-Length} is reserved whole before the body is read, and one that
 * does not fit gets 503 {@code server_busy} with {@code Retry-After}, unread. A body of unknown length (chunked, or
 * HTTP/2 without {@code Content-Length}) is reserved as it is read, in steps of 64 KiB, so that it holds about what
 * it has sent; when the next step does not fit, the same 503 ends it and its connection. One project may hold at most
 * half of the budget, so that no tenant's uploads stall everyone's. A body larger than the budget needs the whole of
 * it (of its project's half): it passes at a quiet moment rather than never.
 * <p>
 * A body larger than the REST layer's input buffer is read as it comes, on a worker thread that waits for each part:
 * one project's slow uploads (sent 12 KiB, then nothing) took all 200 of a pod's worker threads, and every other
 * project's request with a body of more than 10 KiB waited until they ended. A project may have
 * {@code pressroom.http.streamed-bodies-per-project} such bodies on a pod at once, and all projects together
 * {@code streamed-bodies} (13 projects' 16 each took every worker thread again, and another project's large create
 * waited unanswered); one more gets the same 503.
 * <p>
 * Counted in KiB so that the budget fits a {@link Semaphore}'s permits; {@code pressroom_http_bodies_held_bytes} says
 * how much of it an API pod holds.
 */
@ApplicationScoped
public class BodyBudget {

    private static final long KIB = 1024;
    /** The steps in which a body of unknown length is reserved, in KiB. */
    private static final int STEP = 64;

    private final int capacity;
    private final int perProject;
    private final Semaphore pod;
    private final Map<String, Semaphore> projects = new ConcurrentHashMap<>();
    /** Each project's bodies read as they come, on worker threads ({@code streamed-bodies-per-project}). */
    private final Map<String, Semaphore> streamedBodies = new ConcurrentHashMap<>();
    /** All projects' ({@code streamed-bodies}). */
    private final Semaphore streamedOnPod;
    private final Caller caller;
    private final PressroomConfig config;

    public BodyBudget(Caller caller, PressroomConfig config) {
        this.caller = caller;
        this.config = config;
        long bytes = config.http().bodiesInFlight().map(size -> size.asLongValue())
                .orElseGet(() -> Runtime.getRuntime().maxMemory() / 16);
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / KIB));
        this.perProject = Math.max(1, capacity / 2);
        this.pod = new Semaphore(capacity);
        this.streamedOnPod = new Semaphore(config.http().streamedBodies());
    }

    void start(@Observes StartupEvent event, MeterRegistry metrics) {
        if (config.role().runsApi()) { // a renderer takes no request bodies
            Gauge.builder("pressroom.http.bodies.held.bytes", pod, free -> (capacity - free.availablePermits()) * KIB)
                    .description("Memory this API pod holds for request bodies (pressroom.http.bodies-in-flight)")
                    .register(metrics);
        }
    }

    /** After the key's check and the rate limit, before the body is read. */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 10)
    public Response reserve(ContainerRequestContext request, RoutingContext http) {
        String length = request.getHeaderString(HttpHeaderNames.CONTENT_LENGTH.toString());
        boolean unknownLength = length == null
                && (request.getHeaderString(HttpHeaderNames.TRANSFER_ENCODING.toString()) != null
                        || http.request().version() == HttpVersion.HTTP_2);
        long declared = length == null ? 0 : BodyLimit.declared(length);
        if (declared <= 0 && !unknownLength) {
            return null;
        }
        Hold hold = caller.isProject()
                ? new Hold(projects.computeIfAbsent(caller.projectId(), ignored -> new Semaphore(perProject)),
                        streamedBodies.computeIfAbsent(caller.projectId(),
                                ignored -> new Semaphore(config.http().streamedBodiesPerProject())))
                : new Hold(null, null);
        if (declared > 0) {
            String refused = hold.growTo(permits(declared));
            if (refused != null) {
                BodyLimit.closeAfterResponse(http); // the body stays unread
                return ProblemMapper.respond(ApiProblem.serverBusy(refused), request.getUriInfo());
            }
        } else {
            CountedBodies.meter(http, hold::cover);
        }
        CountedBodies.gateStreamed(http, hold::stream);
        http.addEndHandler(ended -> hold.release());
        return null;
    }

    private static int permits(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + KIB - 1) / KIB);
    }

    /** What one request holds of its project's share and of the pod's budget. */
    private final class Hold {

        private final Semaphore project;
        private final Semaphore streamed;
        private final int cap;
        private int held;
        private boolean streaming;
        private boolean released;

        Hold(Semaphore project, Semaphore streamed) {
            this.project = project;
            this.streamed = streamed;
            this.cap = project != null ? perProject : capacity;
        }

        /** The body is read as it comes, on a worker thread: null, or why it cannot be. */
        synchronized ApiProblem stream() {
            if (streamed == null || streaming || released) {
                return null;
            }
            if (!streamed.tryAcquire()) {
                return ApiProblem.serverBusy("this project's requests already send "
                        + config.http().streamedBodiesPerProject() + " large request bodies to this server at once");
            }
            if (!streamedOnPod.tryAcquire()) {
                streamed.release();
                return ApiProblem.serverBusy(
                        "this server already reads " + config.http().streamedBodies() + " large request bodies at once");
            }
            streaming = true;
            return null;
        }

        /** Covers a body of unknown length once {@code bytes} of it are read: null, or why it cannot. */
        synchronized ApiProblem cover(long bytes) {
            int needed = permits(bytes);
            if (needed <= held || held >= cap || released) {
                return null;
            }
            String refused = growTo((needed + STEP - 1) / STEP * STEP);
            return refused == null ? null : ApiProblem.serverBusy(refused);
        }

        /** Holds {@code permits} (at most the cap) in all: null, or why it cannot. */
        synchronized String growTo(int permits) {
            int more = Math.min(permits, cap) - held;
            if (more <= 0) {
                return null;
            }
            if (project != null && !project.tryAcquire(more)) {
                return "this project's requests already hold their share of the memory for request bodies on this "
                        + "server";
            }
            if (!pod.tryAcquire(more)) {
                if (project != null) {
                    project.release(more);
                }
                return "the server holds as many request bodies as its memory allows";
            }
            held += more;
            return null;
        }

        synchronized void release() {
            released = true;
            if (streaming) {
                streamed.release();
                streamedOnPod.release();
                streaming = false;
            }
            pod.release(held);
            if (project != null) {
                project.release(held);
            }
            held = 0;
        }
    }
}
