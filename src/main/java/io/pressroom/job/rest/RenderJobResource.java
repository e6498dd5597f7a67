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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import io.pressroom.job.service.JobViews.Accepted;
import io.pressroom.job.service.JobViews.Access;
import io.pressroom.job.service.JobViews.AccessView;
import io.pressroom.job.service.JobViews.EventView;
import io.pressroom.job.service.JobViews.JobDetail;
import io.pressroom.job.service.JobViews.JobView;
import io.pressroom.job.service.JobWaits;
import io.pressroom.job.service.OutputService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Render jobs: create, read, and reach their PDF. The OpenAPI examples of these operations are in
 * {@code META-INF/openapi.yaml}.
 */
@Path("/v1/render-jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Render jobs", description = "Create render jobs, follow them, and download or link to their PDF")
public class RenderJobResource {

    static final int MAX_LINK_SECONDS = 604_800;

    /** The JSON and the SSE variant of GET …/events are one operation of the OpenAPI document. */
    private static final String TIMELINE = "The job's timeline, oldest first (JSON or a live SSE stream)";
    private static final String TIMELINE_DETAILS = "As JSON, the events so far. With Accept: text/event-stream, "
            + "past events first (after Last-Event-ID when given), then each new one as it happens on any API pod; "
            + "the stream closes after the terminal event. Each SSE event has the timeline id as its id, the event "
            + "type as its name and the event's JSON as its data.";
    private static final String PDF = "application/pdf";
    private static final String JOB_ID = "The job's id (rj_…)";
    private static final String LINK_LIFETIME = "Lifetime of the link in seconds; default "
            + "pressroom.downloads.default-expiry-seconds (600)";

    private final JobService jobs;
    private final OutputService outputs;
    private final JobTransitions transitions;
    private final JobWaits waits;
    private final Caller caller;
    private final PressroomConfig config;
    private final ObjectMapper json;

    public RenderJobResource(JobService jobs, OutputService outputs, JobTransitions transitions, JobWaits waits,
            Caller caller, PressroomConfig config, ObjectMapper json) {
        this.json = json;
        this.waits = waits;
        this.jobs = jobs;
        this.outputs = outputs;
        this.transitions = transitions;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Operation(operationId = "createRenderJob", summary = "Create a render job", description = "Answers 202 at once; the job is rendered "
            + "asynchronously. With Idempotency-Key, a repeated request within 24 h returns the original answer. "
            + "With sync=true (or wait=SECONDS) the request waits up to 15 s (pressroom.jobs.sync-wait-max) for the "
            + "job to end: 200 with the job, even a failed one, or 202 when it still runs.")
    @APIResponse(responseCode = "202", description = "Accepted: the job is queued", headers = @Header(name = "Location", description = "The job's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "200", description = "With sync or wait: the job ended in time (check job.status: it may have failed)", content = @Content(schema = @Schema(implementation = JobDetail.class)))
    public Uni<Response> create(@Valid @NotNull CreateJob request,
            @Parameter(description = "Makes retries safe: the same key with the same body within 24 h returns the "
                    + "original answer; with another body, 409 idempotency_key_reused. Scoped to the project.", schema = @Schema(type = SchemaType.STRING, maxLength = 255)) @HeaderParam("Idempotency-Key") String key,
            @Parameter(description = "Wait up to pressroom.jobs.sync-wait-max (15 s) for the job to end") @QueryParam("sync") boolean sync,
            @Parameter(description = "Like sync, but at most this many seconds (capped at pressroom.jobs.sync-wait-max); "
                    + "0 answers at once", schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) @QueryParam("wait") Integer waitSeconds) {
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
    @Operation(operationId = "getRenderJob", summary = "Get a render job with its output")
    public Uni<JobDetail> get(@Parameter(description = JOB_ID) @PathParam("jobId") String jobId) {
        return jobs.find(caller.projectId(), jobId);
    }

    @GET
    @Operation(operationId = "listRenderJobs", summary = "List render jobs, newest first", description = "Filters combine with AND; createdAfter and "
            + "createdBefore are epoch milliseconds. Pass nextCursor back as cursor for the next page.")
    public Uni<Page<JobView>> list(
            @Parameter(description = "Only jobs in this status", schema = @Schema(type = SchemaType.STRING, enumeration = {
                    "queued", "rendering",
                    "retry_scheduled", "succeeded", "failed", "cancelled" })) @QueryParam("status") String status,
            @Parameter(description = "Only jobs of this deploy (its dpl_… id)") @QueryParam("deployId") String deployId,
            @Parameter(description = "Only jobs with this businessKey") @QueryParam("businessKey") String businessKey,
            @Parameter(description = "Only jobs of this queue, e.g. default or priority") @QueryParam("queue") String queue,
            @Parameter(description = "Only jobs marked acknowledged (true) or not (false)") @QueryParam("acknowledged") Boolean acknowledged,
            @Parameter(description = "Only jobs created after this time, in epoch milliseconds") @QueryParam("createdAfter") Long createdAfter,
            @Parameter(description = "Only jobs created before this time, in epoch milliseconds") @QueryParam("createdBefore") Long createdBefore,
            @Parameter(description = "Only jobs with this sourceType") @QueryParam("sourceType") String sourceType,
            @Parameter(description = "Only jobs with this sourceId") @QueryParam("sourceId") String sourceId,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") Integer limit,
            @Parameter(description = "The nextCursor of the previous page; absent for the first page") @QueryParam("cursor") String cursor) {
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
    @Operation(operationId = "acknowledgeRenderJob", summary = "Mark a job acknowledged (or not)")
    public Uni<JobDetail> acknowledge(@Parameter(description = JOB_ID) @PathParam("jobId") String jobId,
            @Valid @NotNull Acknowledge request) {
        return jobs.acknowledge(caller.projectId(), jobId, request.acknowledged());
    }

    @DELETE
    @Path("/{jobId}")
    @Operation(operationId = "cancelRenderJob", summary = "Cancel a job", description = "204 for queued, retry_scheduled and rendering jobs; 409 once "
            + "terminal. An output that still arrives is discarded.")
    @APIResponse(responseCode = "204", description = "Cancelled")
    public Uni<Response> cancel(@Parameter(description = JOB_ID) @PathParam("jobId") String jobId) {
        return transitions.cancel(caller.projectId(), jobId).map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/{jobId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @StreamOwnerCheck.JobMustExist
    @Operation(operationId = "getRenderJobEvents", summary = TIMELINE, description = TIMELINE_DETAILS)
    @APIResponse(responseCode = "200", description = "The timeline", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING, description = "Server-sent events, one per timeline entry")))
    public Multi<OutboundSseEvent> stream(@Parameter(description = JOB_ID) @PathParam("jobId") String jobId,
            @Parameter(description = "SSE only: resume after this event id (the id of the last event received)") @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse) {
        long after = parseEventId(lastEventId);
        // data is the event's JSON, written as text: a media type on the event would add a non-standard field
        return waits.follow(jobId, after).map(event -> sse.newEventBuilder().id(Long.toString(event.id())).name(event.type())
                .data(asJson(event)).build());
    }

    private String asJson(EventView event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a timeline event always serializes", e);
        }
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
    @Operation(summary = TIMELINE, description = TIMELINE_DETAILS)
    public Uni<Page<EventView>> events(@PathParam("jobId") String jobId) {
        return jobs.timeline(caller.projectId(), jobId, 0).map(events -> new Page<>(
                events.stream().map(EventView::of).toList(), null));
    }

    @GET
    @Path("/{jobId}/report")
    @Operation(operationId = "getRenderJobReport", summary = "The render report of a succeeded job", description = "Pages, bytes, sha256, timings in ms "
            + "(queueWait, merge, load, print, upload), console errors and blocked requests.")
    @APIResponse(responseCode = "200", description = "The report", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RenderReport")))
    public Uni<Response> report(@Parameter(description = JOB_ID) @PathParam("jobId") String jobId) {
        return outputs.report(caller.projectId(), jobId)
                .map(report -> Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build());
    }

    @POST
    @Path("/{jobId}/output-download")
    @Operation(operationId = "createOutputDownload", summary = "A signed, expiring link that downloads the PDF (attachment)")
    public Uni<AccessView> download(@Parameter(description = JOB_ID) @PathParam("jobId") String jobId,
            @Parameter(description = LINK_LIFETIME, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "604800", defaultValue = "600")) @QueryParam("expiresInSeconds") Integer expiresInSeconds,
            @Context UriInfo uri) {
        return link(jobId, false, expiresInSeconds, uri);
    }

    @POST
    @Path("/{jobId}/output-preview")
    @Operation(operationId = "createOutputPreview", summary = "A signed, expiring link that shows the PDF in a browser (inline)")
    public Uni<AccessView> preview(@Parameter(description = JOB_ID) @PathParam("jobId") String jobId,
            @Parameter(description = LINK_LIFETIME, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "604800", defaultValue = "600")) @QueryParam("expiresInSeconds") Integer expiresInSeconds,
            @Context UriInfo uri) {
        return link(jobId, true, expiresInSeconds, uri);
    }

    @GET
    @Path("/{jobId}/output")
    @Produces({ "application/pdf", MediaType.APPLICATION_JSON })
    @Operation(operationId = "getRenderJobOutput", summary = "Download the PDF through the API", description = "A private download with the project "
            + "key; no storage URL is exposed.")
    @APIResponse(responseCode = "200", description = "The PDF, as an attachment named after the job's file name", headers = @Header(name = "Content-Disposition", description = "attachment; filename=\"….pdf\"", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = PDF, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Uni<Response> output(@Parameter(description = JOB_ID) @PathParam("jobId") String jobId) {
        return outputs.openForProject(caller.projectId(), jobId).map(DownloadResource::send);
    }

    @GET
    @Path("/{jobId}/output/pages/{page}.png")
    @Produces({ "image/png", MediaType.APPLICATION_JSON })
    @Operation(operationId = "getRenderJobOutputPage", summary = "A PNG preview of one page (jobs created with formats [\"pdf\", \"png\"])")
    @APIResponse(responseCode = "200", description = "The page as PNG (96 DPI)", content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Uni<Response> page(@Parameter(description = JOB_ID) @PathParam("jobId") String jobId,
            @Parameter(description = "Page number, from 1 to previews.pages", schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) @PathParam("page") int page) {
        return outputs.preview(caller.projectId(), jobId, page).map(png -> Response.ok(png, "image/png")
                .header("Cache-Control", "private, no-store").build());
    }

    @DELETE
    @Path("/{jobId}/output")
    @Operation(operationId = "deleteRenderJobOutput", summary = "Delete the job's PDF", description = "Links handed out before stop working.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Uni<Response> deleteOutput(@Parameter(description = JOB_ID) @PathParam("jobId") String jobId) {
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
