package io.pressroom.job.rest;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pressroom.auth.Caller;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.Contexts;
import io.pressroom.common.Cursors;
import io.pressroom.common.Page;
import io.pressroom.config.PressroomConfig;
import io.pressroom.job.service.CreateJob;
import io.pressroom.job.service.JobFilter;
import io.pressroom.job.service.JobService;
import io.pressroom.job.service.JobTransitions;
import io.pressroom.job.service.JobViews.Access;
import io.pressroom.job.service.JobViews.AccessView;
import io.pressroom.job.service.JobViews.EventView;
import io.pressroom.job.service.JobViews.JobDetail;
import io.pressroom.job.service.JobViews.JobView;
import io.pressroom.job.service.JobWaits;
import io.pressroom.job.service.OutputService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Render jobs: create, read, and reach their PDF. */
@Path("/v1/render-jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Render jobs")
public class RenderJobResource {

    static final int MAX_LINK_SECONDS = 604_800;

    private final JobService jobs;
    private final OutputService outputs;
    private final JobTransitions transitions;
    private final JobWaits waits;
    private final Caller caller;
    private final PressroomConfig config;

    public RenderJobResource(JobService jobs, OutputService outputs, JobTransitions transitions, JobWaits waits,
            Caller caller, PressroomConfig config) {
        this.waits = waits;
        this.jobs = jobs;
        this.outputs = outputs;
        this.transitions = transitions;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Operation(summary = "Create a render job", description = "Answers 202 at once; the job is rendered "
            + "asynchronously. With Idempotency-Key, a repeated request within 24 h returns the original answer. "
            + "With sync=true (or wait=SECONDS) the request waits up to 15 s (pressroom.jobs.sync-wait-max) for the "
            + "job to end: 200 with the job, even a failed one, or 202 when it still runs.")
    public Uni<Response> create(@Valid @NotNull CreateJob request, @HeaderParam("Idempotency-Key") String key,
            @QueryParam("sync") boolean sync, @QueryParam("wait") Integer waitSeconds) {
        Duration wait = waitFor(sync, waitSeconds);
        String projectId = caller.projectId();
        Executor here = Contexts.currentExecutor();
        return jobs.create(projectId, request, key).chain(created -> {
            Response accepted = Response.status(created.status())
                    .location(URI.create("/v1/render-jobs/" + created.jobId())).entity(created.body()).build();
            if (wait.isZero()) {
                return Uni.createFrom().item(accepted);
            }
            return waits.untilTerminal(created.jobId(), wait).emitOn(here)
                    .chain(done -> done ? jobs.find(projectId, created.jobId()).map(job -> Response.ok(job).build())
                            : Uni.createFrom().item(accepted));
        });
    }

    private Duration waitFor(boolean sync, Integer waitSeconds) {
        Duration max = config.jobs().syncWaitMax();
        if (waitSeconds != null) {
            if (waitSeconds < 0) {
                throw ApiProblem.badRequest("wait: must be 0 or more seconds");
            }
            Duration asked = Duration.ofSeconds(waitSeconds);
            return asked.compareTo(max) > 0 ? max : asked;
        }
        return sync ? max : Duration.ZERO;
    }

    @GET
    @Path("/{jobId}")
    @Operation(summary = "Get a render job with its output")
    public Uni<JobDetail> get(@PathParam("jobId") String jobId) {
        return jobs.find(caller.projectId(), jobId);
    }

    @GET
    @Operation(summary = "List render jobs, newest first", description = "Filters combine with AND; createdAfter and "
            + "createdBefore are epoch milliseconds. Pass nextCursor back as cursor for the next page.")
    public Uni<Page<JobView>> list(@QueryParam("status") String status, @QueryParam("deployId") String deployId,
            @QueryParam("businessKey") String businessKey, @QueryParam("queue") String queue,
            @QueryParam("acknowledged") Boolean acknowledged, @QueryParam("createdAfter") Long createdAfter,
            @QueryParam("createdBefore") Long createdBefore, @QueryParam("sourceType") String sourceType,
            @QueryParam("sourceId") String sourceId, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        int size = Cursors.checkLimit(limit, 20, 100);
        JobFilter filter = new JobFilter(status, deployId, businessKey, queue, acknowledged, createdAfter,
                createdBefore, sourceType, sourceId);
        return jobs.list(caller.projectId(), filter, Cursors.decode(cursor), size + 1)
                .map(rows -> Page.of(rows, size, JobView::of, job -> job.id));
    }

    public record Acknowledge(@NotNull Boolean acknowledged) {
    }

    @PATCH
    @Path("/{jobId}")
    @Operation(summary = "Mark a job acknowledged (or not)")
    public Uni<JobDetail> acknowledge(@PathParam("jobId") String jobId, @Valid @NotNull Acknowledge request) {
        return jobs.acknowledge(caller.projectId(), jobId, request.acknowledged());
    }

    @DELETE
    @Path("/{jobId}")
    @Operation(summary = "Cancel a job", description = "204 for queued, retry_scheduled and rendering jobs; 409 once "
            + "terminal. An output that still arrives is discarded.")
    public Uni<Response> cancel(@PathParam("jobId") String jobId) {
        return transitions.cancel(caller.projectId(), jobId).map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/{jobId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @StreamOwnerCheck.JobMustExist
    @Operation(summary = "The job's timeline as a live stream (SSE)", description = "Past events first (after "
            + "Last-Event-ID when given), then each new one as it happens on any API pod; the stream closes after "
            + "the terminal event. Each SSE event has the timeline id as its id and the event type as its name.")
    public Multi<OutboundSseEvent> stream(@PathParam("jobId") String jobId,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        long after = parseEventId(lastEventId);
        return waits.follow(jobId, after).map(event -> sse.newEventBuilder().id(Long.toString(event.id())).name(event.type())
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(EventView.class, event).build());
    }

    private static long parseEventId(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("Last-Event-ID: must be an event id from this stream");
        }
    }

    @GET
    @Path("/{jobId}/events")
    @Operation(summary = "The job's timeline, oldest first")
    public Uni<Page<EventView>> events(@PathParam("jobId") String jobId) {
        return jobs.timeline(caller.projectId(), jobId, 0).map(events -> new Page<>(
                events.stream().map(EventView::of).toList(), null));
    }

    @GET
    @Path("/{jobId}/report")
    @Operation(summary = "The render report of a succeeded job", description = "Pages, bytes, sha256, timings in ms "
            + "(queueWait, merge, load, print, upload), console errors and blocked requests.")
    public Uni<Response> report(@PathParam("jobId") String jobId) {
        return outputs.report(caller.projectId(), jobId)
                .map(report -> Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build());
    }

    @POST
    @Path("/{jobId}/output-download")
    @Operation(summary = "A signed, expiring link that downloads the PDF (attachment)")
    public Uni<AccessView> download(@PathParam("jobId") String jobId,
            @QueryParam("expiresInSeconds") Integer expiresInSeconds, @Context UriInfo uri) {
        return link(jobId, false, expiresInSeconds, uri);
    }

    @POST
    @Path("/{jobId}/output-preview")
    @Operation(summary = "A signed, expiring link that shows the PDF in a browser (inline)")
    public Uni<AccessView> preview(@PathParam("jobId") String jobId,
            @QueryParam("expiresInSeconds") Integer expiresInSeconds, @Context UriInfo uri) {
        return link(jobId, true, expiresInSeconds, uri);
    }

    @GET
    @Path("/{jobId}/output")
    @Produces({ "application/pdf", MediaType.APPLICATION_JSON })
    @Operation(summary = "Download the PDF through the API", description = "A private download with the project "
            + "key; no storage URL is exposed.")
    public Uni<Response> output(@PathParam("jobId") String jobId) {
        return outputs.openForProject(caller.projectId(), jobId).map(DownloadResource::send);
    }

    @GET
    @Path("/{jobId}/output/pages/{page}.png")
    @Produces({ "image/png", MediaType.APPLICATION_JSON })
    @Operation(summary = "A PNG preview of one page (jobs created with formats [\"pdf\", \"png\"])")
    public Uni<Response> page(@PathParam("jobId") String jobId, @PathParam("page") int page) {
        return outputs.preview(caller.projectId(), jobId, page).map(png -> Response.ok(png, "image/png")
                .header("Cache-Control", "private, no-store").build());
    }

    @DELETE
    @Path("/{jobId}/output")
    @Operation(summary = "Delete the job's PDF", description = "Links handed out before stop working.")
    public Uni<Response> deleteOutput(@PathParam("jobId") String jobId) {
        return outputs.delete(caller.projectId(), jobId).map(ignored -> Response.noContent().build());
    }

    private Uni<AccessView> link(String jobId, boolean inline, Integer expiresInSeconds, UriInfo uri) {
        int seconds = expiresInSeconds == null ? config.downloads().defaultExpirySeconds() : expiresInSeconds;
        if (seconds < 1 || seconds > MAX_LINK_SECONDS) {
            return Uni.createFrom().failure(ApiProblem.badRequest("expiresInSeconds: must be between 1 and "
                    + MAX_LINK_SECONDS));
        }
        Instant expiresAt = Instant.now().plusSeconds(seconds);
        String base = config.downloads().publicUrl().orElse(uri.getBaseUri().toString()).replaceAll("/+$", "");
        return outputs.link(caller.projectId(), jobId, inline, expiresAt)
                .map(token -> new AccessView(new Access(base + "/v1/downloads/" + token, expiresAt.toEpochMilli())));
    }
}
