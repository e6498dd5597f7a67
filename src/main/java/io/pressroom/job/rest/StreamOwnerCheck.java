package io.pressroom.job.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.pressroom.auth.Caller;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.ProblemMapper;
import io.pressroom.job.service.JobService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * A stream commits its 200 before its first event, so the job is looked up here, before the resource method: an
 * unknown job, or another project's, answers 404 like everywhere else. Here too a stream takes one of its project's
 * slots ({@link StreamSlots}), or is refused with 429 {@code too_many_streams}; the slot is given back when the
 * response ends, however it ends (the stream completed, the client went away, the method failed).
 */
public class StreamOwnerCheck {

    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.METHOD, ElementType.TYPE })
    public @interface JobMustExist {
    }

    /** Streams ended by their maximum duration are usually re-opened at once: a client over the cap waits a little. */
    private static final long RETRY_AFTER_SECONDS = 5;

    private final JobService jobs;
    private final Caller caller;
    private final StreamSlots slots;

    public StreamOwnerCheck(JobService jobs, Caller caller, StreamSlots slots) {
        this.jobs = jobs;
        this.caller = caller;
        this.slots = slots;
    }

    @JobMustExist
    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Uni<Response> check(ContainerRequestContext request, RoutingContext routing) {
        String projectId = caller.projectId();
        String jobId = request.getUriInfo().getPathParameters().getFirst("jobId");
        return jobs.exists(projectId, jobId).map(exists -> {
            if (!exists) {
                return ProblemMapper.respond(ApiProblem.notFound("render job " + jobId), request.getUriInfo());
            }
            if (!slots.tryOpen(projectId)) {
                return ProblemMapper.respond(ApiProblem.tooMany("too_many_streams", "this project has "
                        + slots.max() + " event streams open on this server; close one or retry after "
                        + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS), request.getUriInfo());
            }
            routing.addEndHandler(ended -> slots.close(projectId));
            return null;
        });
    }
}
