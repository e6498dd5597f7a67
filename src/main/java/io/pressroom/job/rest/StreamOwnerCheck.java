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

/**
 * A stream commits its 200 before its first event, so the job is looked up here, before the resource method: an
 * unknown job, or another project's, answers 404 like everywhere else.
 */
public class StreamOwnerCheck {

    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.METHOD, ElementType.TYPE })
    public @interface JobMustExist {
    }

    private final JobService jobs;
    private final Caller caller;

    public StreamOwnerCheck(JobService jobs, Caller caller) {
        this.jobs = jobs;
        this.caller = caller;
    }

    @JobMustExist
    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Uni<Response> check(ContainerRequestContext request) {
        String jobId = request.getUriInfo().getPathParameters().getFirst("jobId");
        return jobs.exists(caller.projectId(), jobId)
                .map(exists -> exists ? null
                        : ProblemMapper.respond(ApiProblem.notFound("render job " + jobId), request.getUriInfo()));
    }
}
