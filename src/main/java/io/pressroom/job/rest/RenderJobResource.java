package io.pressroom.job.rest;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.auth.Caller;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.ByteRanges.Asked;
import io.pressroom.common.Contexts;
import io.pressroom.common.Cursors;
import io.pressroom.common.Page;
import io.pressroom.common.ProblemExample;
import io.pressroom.common.ResponseExample;
import io.pressroom.config.PressroomConfig;
import io.pressroom.job.repository.JobFilter;
import io.pressroom.job.repository.JobFilter.MetaFilter;
import io.pressroom.job.service.CreateJob;
import io.pressroom.job.service.JobService;
import io.pressroom.job.service.JobService.Estimate;
import io.pressroom.job.service.JobTransitions;
import io.pressroom.job.service.JobViews.Accepted;
import io.pressroom.job.service.JobViews.Access;
import io.pressroom.job.service.JobViews.AccessView;
import io.pressroom.job.service.JobViews.EventView;
import io.pressroom.job.service.JobViews.JobDetail;
import io.pressroom.job.service.JobViews.JobView;
import io.pressroom.job.service.JobWaits;
import io.pressroom.job.service.OutputService;
import io.pressroom.job.service.RetryJob;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/** Render jobs: create, read, and reach their PDF. */
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
            + "type as its name and the event's JSON as its data. A comment line (:heartbeat) is sent every 15 s "
            + "(pressroom.http.stream-heartbeat); a stream still open after 30 minutes "
            + "(pressroom.http.stream-max-duration) or open when the server shuts down ends, and the client reconnects with Last-Event-ID (EventSource "
            + "does so by itself). A project may have 20 streams open per API pod (pressroom.http.streams-per-project); "
            + "more are refused with 429 too_many_streams.";
    private static final String PDF = "application/pdf";
    private static final String JOB_ID = "The job's id (rj_…)";
    private static final String EXAMPLE_JOB = "rj_01m84qd3w1v9d3cawbnr7tarnw";
    private static final String LINK_LIFETIME = "Lifetime of the link in seconds; default "
            + "pressroom.downloads.default-expiry-seconds (600)";

    private static final String META_PARAMETER = "meta.";
    private static final java.util.regex.Pattern META_KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final JobService jobs;
    private final OutputService outputs;
    private final DownloadSlots downloads;
    private final JobTransitions transitions;
    private final JobWaits waits;
    private final Caller caller;
    private final PressroomConfig config;
    private final ObjectMapper json;

    public RenderJobResource(JobService jobs, OutputService outputs, JobTransitions transitions, JobWaits waits,
            Caller caller, PressroomConfig config, ObjectMapper json, DownloadSlots downloads) {
        this.downloads = downloads;
        this.json = json;
        this.waits = waits;
        this.jobs = jobs;
        this.outputs = outputs;
        this.transitions = transitions;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Operation(operationId = "createRenderJob", summary = "Create a render job", description = "Answers 202 at once; the "
            + "job is rendered asynchronously. With Idempotency-Key, a repeated request within 24 h returns the original "
            + "answer. With sync=true (or wait=SECONDS) the request waits up to 15 s (pressroom.jobs.sync-wait-max) for "
            + "the job to end: 200 with the job, even a failed one, or 202 when it still runs (also at once when the "
            + "server is shutting down). 413 when the payload is "
            + "over pressroom.jobs.max-payload-bytes or the job's render command (options, inline payload and html) "
            + "would be over pressroom.jobs.max-command-bytes; nothing is created then. A project with 1000 jobs "
            + "queued or rendering (pressroom.jobs.max-unfinished-per-project) gets 429 queue_full with Retry-After.")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "fromDeploy", summary = "From a deploy's latest version, with PNG page previews", value = """
                    {
                      "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                      "deployVersionId": "latest",
                      "businessKey": "invoice-2026-04-28",
                      "payload": {"customer": "Acme Corp", "items": ["Widget", "Gadget"], "total": 42.99},
                      "outputMode": "managed",
                      "formats": ["pdf", "png"]
                    }"""),
            @ExampleObject(name = "inlineHtml", summary = "A one-off inline template (e.g. with ?sync=true)", value = """
                    {"html": "<h1>Hello {{name}}</h1>", "payload": {"name": "Ada"}, "outputMode": "transient"}"""),
            @ExampleObject(name = "withOptions", summary = "Every render option, a priority queue and your own reference", value = """
                    {
                      "deployId": "invoice",
                      "deployVersionId": "dv_01m84qd34n8w1a25m0jxwrxm1c",
                      "businessKey": "invoice-2026-04-29",
                      "payload": {"customer": "Globex", "items": ["Gizmo"], "total": 19.5},
                      "outputMode": "managed",
                      "formats": ["pdf"],
                      "queue": "priority",
                      "sourceType": "order",
                      "sourceId": "ord_123",
                      "options": {
                        "format": "A4",
                        "landscape": false,
                        "margin": {"top": "10mm", "right": "12mm", "bottom": "15mm", "left": "12mm"},
                        "printBackground": true,
                        "scale": 1,
                        "pageRanges": "1-3",
                        "preferCssPageSize": false,
                        "headerTemplate": "<span style=\\"font-size:8px\\" class=\\"title\\"></span>",
                        "footerTemplate": "<span style=\\"font-size:8px\\"><span class=\\"pageNumber\\"></span> / <span class=\\"totalPages\\"></span></span>",
                        "emulateMedia": "print",
                        "waitFor": {"selector": "#ready"},
                        "waitForExpression": "window.ready === true",
                        "waitDelayMs": 0,
                        "renderTimeoutMs": 30000,
                        "javascript": true
                      }
                    }"""),
            @ExampleObject(name = "archival", summary = "A PDF/A-2b document with an outline and its metadata", value = """
                    {"deployId": "invoice", "payload": {"total": 19.5},
                     "options": {"pdfa": "2b", "outline": true,
                                 "metadata": {"title": "Invoice 417", "author": "Contoso Billing", "subject": "March invoice", "keywords": "invoice, contoso"}}}"""),
            @ExampleObject(name = "protected", summary = "An AES-256 encrypted PDF; the passwords are purged when the job ends", value = """
                    {"deployId": "statement", "payload": {"balance": 1234.56},
                     "options": {"protect": {"userPassword": "to-open-it", "ownerPassword": "for-full-access",
                                             "permissions": {"print": true, "copy": false, "modify": false}}}}"""),
            @ExampleObject(name = "baselineDiff", summary = "Render again and compare every page with an earlier job's PDF", value = """
                    {"deployId": "invoice", "payload": {"customer": "Acme Corp", "total": 42.99},
                     "baselineJobId": "rj_01m84qd3w1v9d3cawbnr7tarnw"}""") }))
    @APIResponse(responseCode = "202", description = "Accepted: the job is queued", headers = @Header(name = "Location", description = "The job's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "200", description = "With sync or wait: the job ended in time (check job.status: it may have failed)", content = @Content(schema = @Schema(implementation = JobDetail.class)))
    @ResponseExample(status = 202, name = "queued", summary = "The fromDeploy request; deployVersionId is resolved", value = """
            {
              "accepted": true,
              "queue": "default",
              "job": {
                "id": "rj_01m84qd3w1v9d3cawbnr7tarnw",
                "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                "deployVersionId": "dv_01m84qd2rn19krp5efh5x1vtm0",
                "businessKey": "invoice-2026-04-28",
                "status": "queued",
                "attempt": 0,
                "outputMode": "managed",
                "requestedAt": 1795455094693
              }
            }""")
    @ResponseExample(status = 200, name = "finishedInTime", summary = "The inlineHtml request with ?sync=true", value = """
            {
              "job": {
                "id": "rj_01m84qdc92ktre7nac6mtbcvqc",
                "status": "succeeded",
                "attempt": 1,
                "outputMode": "transient",
                "queue": "default",
                "requestedAt": 1795455103272,
                "startedAt": 1795455104365,
                "finishedAt": 1795455104623,
                "durationMs": 258,
                "acknowledged": false
              },
              "output": {
                "id": "ro_01m84qddpge0hn7md22sqmcnjn",
                "bytes": 6664,
                "pageCount": 1,
                "sha256": "002b9783c098f72f09354b8175b8a204d57d9c6cda337599c503c55120eb6181",
                "state": "available",
                "createdAt": 1795455104720,
                "expiresAt": 1795458704720
              },
              "pdf": {
                "id": "pdf_01m84qddpg729tzf7bjf797y79",
                "state": "available",
                "fileName": "rj_01m84qdc92ktre7nac6mtbcvqc.pdf",
                "bytes": 6664,
                "pageCount": 1,
                "createdAt": 1795455104720
              },
              "outputs": [
                {
                  "format": "pdf",
                  "bytes": 6664,
                  "pages": 1,
                  "sha256": "002b9783c098f72f09354b8175b8a204d57d9c6cda337599c503c55120eb6181",
                  "state": "available"
                }
              ]
            }""")
    @ProblemExample(status = 400, detail = "deployId: give either deployId or html (an inline template), not both")
    @ProblemExample(status = 400, code = "template_error", detail = "html: line 1, column 9: found: 'EOF', expected: '{{/'")
    @ProblemExample(status = 400, detail = "webhookUrl: must not point to a loopback address (127.0.0.1)")
    @ProblemExample(status = 404, detail = "deploy dpl_01m84qd2af2gfm2zn5zrf03dxc does not exist")
    @ProblemExample(status = 404, code = "baseline_not_found", detail = "baselineJobId: render job rj_01m84qd3w1v9d3cawbnr7tarnw does not exist")
    @ProblemExample(status = 409, code = "baseline_not_succeeded", detail = "baselineJobId: the job is failed; only a succeeded job can be a baseline")
    @ProblemExample(status = 409, code = "baseline_output_gone", detail = "baselineJobId: the job's PDF was deleted; a baseline needs its PDF")
    @ProblemExample(status = 409, code = "idempotency_key_reused", detail = "Idempotency-Key was already used with different parameters")
    @ProblemExample(status = 413, detail = "payload: is larger than 5242880 bytes")
    @ProblemExample(status = 429, code = "queue_full", detail = "this project has 1000 jobs queued or rendering, the "
            + "most it may have (1000); retry after 10 s")
    @ProblemExample(status = 400, code = "payload_invalid", detail = "payload: does not match the version's schema in 2 places: /customer/name required property 'name' not found", violations = {
            "/customer/name: required property 'name' not found", "/items/0/qty: string found, integer expected" })
    @ProblemExample(status = 413, detail = "the job's render command would be 301234 bytes, more than the limit of 262144; shorten options such as headerTemplate and footerTemplate")
    @ProblemExample(status = 503, code = "storage_unavailable", detail = "object storage is not available")
    public Uni<Response> create(@Valid @NotNull CreateJob request,
            @Parameter(description = "Makes retries safe: the same key with the same body within 24 h returns the "
                    + "original answer; with another body, 409 idempotency_key_reused. Scoped to the project.", schema = @Schema(type = SchemaType.STRING, maxLength = 255)) @HeaderParam("Idempotency-Key") String key,
            @Parameter(description = "Wait up to pressroom.jobs.sync-wait-max (15 s) for the job to end") @QueryParam("sync") @DefaultValue("false") Boolean sync,
            @Parameter(description = "Like sync, but at most this many seconds (capped at pressroom.jobs.sync-wait-max); "
                    + "0 answers at once", schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) @QueryParam("wait") Integer waitSeconds) {
        Duration wait = waitFor(sync, waitSeconds);
        String projectId = caller.projectId();
        Executor here = Contexts.currentExecutor();
        return jobs.create(projectId, request, key).chain(created -> {
            Response accepted = accepted(created);
            if (wait.isZero()) {
                return Uni.createFrom().item(accepted);
            }
            return waits.untilTerminal(created.jobId(), wait).emitOn(here)
                    .chain(done -> done ? jobs.find(projectId, created.jobId()).map(job -> Response.ok(job).build())
                            : Uni.createFrom().item(accepted));
        });
    }

    @POST
    @Path("/estimate")
    @Operation(operationId = "estimateRenderJob", summary = "Estimate a job's pages and cost units without creating it", description = "The same body as a create. Renders a hidden test copy through the normal pipeline and waits "
            + "up to pressroom.jobs.sync-wait-max (15 s) for it: the copy is in no list, usage figure or "
            + "quota, sends no webhook and is deleted with everything it stored once the estimate is read. One cost unit is one page. 400 estimate_failed when the render "
            + "fails, 503 estimate_timeout when it takes longer than the wait (the copy is cancelled).")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "report", summary = "A deploy's latest version", value = """
            {"deployId": "report", "payload": {"quarter": "Q4"}}""")))
    @ResponseExample(status = 200, name = "report", summary = "A 21-page report", value = """
            {"pages": 21, "costUnits": 21}""")
    @ProblemExample(status = 400, code = "estimate_failed", detail = "the render failed: template_error: the template does not compile")
    @ProblemExample(status = 429, code = "queue_full", detail = "this project has 1000 jobs queued or rendering, the "
            + "most it may have (1000); retry after 10 s")
    @ProblemExample(status = 503, code = "estimate_timeout", detail = "the render did not end within 15 s")
    public Uni<Estimate> estimate(@Valid @NotNull CreateJob request) {
        String projectId = caller.projectId();
        Executor here = Contexts.currentExecutor();
        return jobs.createEstimateCopy(projectId, request)
                .chain(copyId -> waits.untilTerminal(copyId, config.jobs().syncWaitMax()).emitOn(here)
                        .chain(ended -> jobs.estimateOf(projectId, copyId, ended))
                        .eventually(() -> jobs.discardCopy(projectId, copyId)));
    }

    @POST
    @Path("/{jobId}/retry")
    @Operation(operationId = "retryRenderJob", summary = "Retry a failed or cancelled job as a new job", description = "The "
            + "new job has the original's template and version, options, businessKey, meta and webhook, and retryOf "
            + "names the original. The payload is purged when a job ends, so the body carries it again (400 "
            + "payload_required without it). 409 job_not_retryable for a job that is not failed or cancelled. "
            + "Idempotency-Key works as on create.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "withPayload", value = """
            {"payload": {"customer": "Acme Corp", "items": ["Widget"], "total": 42.99}}""")))
    @APIResponse(responseCode = "202", description = "Accepted: the new job is queued", headers = @Header(name = "Location", description = "The new job's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = Accepted.class)))
    @ResponseExample(status = 202, name = "queued", summary = "The new job, linked to the failed one", value = """
            {
              "accepted": true,
              "queue": "default",
              "job": {
                "id": "rj_01m84qf1c8d2k5x7v9n3b6m4qa",
                "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                "deployVersionId": "dv_01m84qd2rn19krp5efh5x1vtm0",
                "businessKey": "invoice-2026-04-28",
                "status": "queued",
                "attempt": 0,
                "outputMode": "managed",
                "requestedAt": 1795455194693,
                "meta": {"orderId": "A-1001"},
                "retryOf": "rj_01m84qd3w1v9d3cawbnr7tarnw"
              }
            }""")
    @ProblemExample(status = 400, code = "payload_required", detail = "payload: the job's payload was purged when it ended; send it again")
    @ProblemExample(status = 404, detail = "render job rj_01m84qd3w1v9d3cawbnr7tarnw does not exist")
    @ProblemExample(status = 409, code = "job_not_retryable", detail = "the job is succeeded; only a failed or cancelled job can be retried")
    @ProblemExample(status = 409, code = "idempotency_key_reused", detail = "Idempotency-Key was already used with different parameters")
    public Uni<Response> retry(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId,
            RetryJob request,
            @Parameter(description = "As on create: the same key with the same body within 24 h returns the original "
                    + "answer", schema = @Schema(type = SchemaType.STRING, maxLength = 255)) @HeaderParam("Idempotency-Key") String key) {
        return jobs.retry(caller.projectId(), jobId, request, key).map(RenderJobResource::accepted);
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
    @ResponseExample(status = 200, name = "succeeded", summary = "Succeeded, with PNG page previews", value = """
            {
              "job": {
                "id": "rj_01m84qd3w1v9d3cawbnr7tarnw",
                "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                "deployVersionId": "dv_01m84qd2rn19krp5efh5x1vtm0",
                "businessKey": "invoice-2026-04-28",
                "status": "succeeded",
                "attempt": 1,
                "outputMode": "managed",
                "queue": "default",
                "requestedAt": 1795455094693,
                "startedAt": 1795455096284,
                "finishedAt": 1795455101915,
                "durationMs": 5631,
                "acknowledged": false
              },
              "output": {
                "id": "ro_01m84qdazqmg672knhse8txt13",
                "bytes": 17446,
                "pageCount": 1,
                "sha256": "5a6a8e4d5983f5ef4b24b940d28128613845b2b46e20b0517165951e37fb2607",
                "state": "available",
                "createdAt": 1795455101943
              },
              "pdf": {
                "id": "pdf_01m84qdazqbqca5q5y8kxy8ygj",
                "state": "available",
                "fileName": "invoice-2026-04-28.pdf",
                "bytes": 17446,
                "pageCount": 1,
                "createdAt": 1795455101943
              },
              "previews": {"format": "png", "pages": 1, "bytes": 13676, "state": "available"},
              "outputs": [
                {
                  "format": "pdf",
                  "bytes": 17446,
                  "pages": 1,
                  "sha256": "5a6a8e4d5983f5ef4b24b940d28128613845b2b46e20b0517165951e37fb2607",
                  "state": "available"
                },
                {"format": "png", "bytes": 13676, "pages": 1, "state": "available"}
              ]
            }""")
    @ResponseExample(status = 200, name = "rendering", summary = "Still rendering", value = """
            {
              "job": {
                "id": "rj_01m84qd3w1v9d3cawbnr7tarnw",
                "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                "deployVersionId": "dv_01m84qd2rn19krp5efh5x1vtm0",
                "businessKey": "invoice-2026-04-28",
                "status": "rendering",
                "attempt": 1,
                "outputMode": "managed",
                "queue": "default",
                "requestedAt": 1795455094693,
                "startedAt": 1795455096284,
                "acknowledged": false
              }
            }""")
    @ResponseExample(status = 200, name = "failed", summary = "Failed; errorCode and errorMessage say why", value = """
            {
              "job": {
                "id": "rj_01m84qd3w1v9d3cawbnr7tarnw",
                "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                "deployVersionId": "dv_01m84qd2rn19krp5efh5x1vtm0",
                "businessKey": "invoice-2026-04-28",
                "status": "failed",
                "attempt": 1,
                "outputMode": "managed",
                "queue": "default",
                "requestedAt": 1795455094693,
                "startedAt": 1795455096284,
                "finishedAt": 1795455116301,
                "durationMs": 20017,
                "errorCode": "navigation_timeout",
                "errorMessage": "the page did not finish loading within 20000 ms",
                "acknowledged": false
              }
            }""")
    public Uni<JobDetail> get(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId) {
        return jobs.find(caller.projectId(), jobId);
    }

    @GET
    @Operation(operationId = "listRenderJobs", summary = "List render jobs, newest first", description = "Filters combine "
            + "with AND; createdAfter and createdBefore are epoch milliseconds. Pass nextCursor back as cursor for the next "
            + "page.")
    @ResponseExample(status = 200, name = "page", summary = "limit=2: fields without a value are left out", value = """
            {
              "data": [
                {
                  "id": "rj_01m84qddv6tyq0dap6ryd3a2sw",
                  "status": "cancelled",
                  "attempt": 0,
                  "outputMode": "managed",
                  "queue": "default",
                  "requestedAt": 1795455104870,
                  "finishedAt": 1795455105072,
                  "acknowledged": false
                },
                {
                  "id": "rj_01m84qdc92ktre7nac6mtbcvqc",
                  "status": "succeeded",
                  "attempt": 1,
                  "outputMode": "transient",
                  "queue": "default",
                  "requestedAt": 1795455103272,
                  "startedAt": 1795455104365,
                  "finishedAt": 1795455104623,
                  "durationMs": 258,
                  "acknowledged": false
                }
              ],
              "nextCursor": "cmpfMDFtODRxZGM5Mmt0cmU3bmFjNm10YmN2cWM"
            }""")
    @ProblemExample(status = 400, detail = "status: must be one of queued, rendering, retry_scheduled, succeeded, failed, cancelled")
    @Parameter(name = "meta.KEY", in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.QUERY, description = "Only jobs whose meta has this top-level key with this value, compared as text, e.g. meta.orderId=A-1001; one meta filter per request", schema = @Schema(type = SchemaType.STRING))
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
            @Parameter(description = "Only test jobs (true) or only normal jobs (false)") @QueryParam("test") Boolean test,
            @Parameter(description = "Only the items of this batch (its rb_… id)") @QueryParam("batchId") String batchId,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") Integer limit,
            @Parameter(description = "The nextCursor of the previous page; absent for the first page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        int size = Cursors.checkLimit(limit, 20, 100);
        JobFilter filter = new JobFilter(status, deployId, businessKey, queue, acknowledged, createdAfter,
                createdBefore, sourceType, sourceId, test, metaFilter(uri.getQueryParameters()), batchId);
        return jobs.list(caller.projectId(), filter, Cursors.decode(cursor), size + 1)
                .map(rows -> Page.of(rows, size, JobView::of, job -> job.id));
    }

    /** The lifetime asked for a signed or share link, or the default: 400 outside 1 to {@link #MAX_LINK_SECONDS}. */
    static int linkSeconds(Integer asked, PressroomConfig config) {
        int seconds = asked == null ? config.downloads().defaultExpirySeconds() : asked;
        if (seconds < 1 || seconds > MAX_LINK_SECONDS) {
            throw ApiProblem.badRequest("expiresInSeconds: must be between 1 and " + MAX_LINK_SECONDS);
        }
        return seconds;
    }

    /** Where links point: {@code pressroom.downloads.public-url}, or the base of the request. */
    static String linkBase(PressroomConfig config, UriInfo uri) {
        return config.downloads().publicUrl().orElse(uri.getBaseUri().toString()).replaceAll("/+$", "");
    }

    /** The 202 (or replayed) answer of a create or a retry, with the new job's Location. */
    private static Response accepted(JobService.Created created) {
        return Response.status(created.status()).location(URI.create("/v1/render-jobs/" + created.jobId()))
                .entity(created.body()).build();
    }

    /** The one {@code meta.KEY=VALUE} query parameter, or null; more than one, or a bad key, is a 400. */
    static MetaFilter metaFilter(MultivaluedMap<String, String> query) {
        List<Map.Entry<String, List<String>>> given = query.entrySet().stream()
                .filter(parameter -> parameter.getKey().startsWith(META_PARAMETER)).toList();
        if (given.isEmpty()) {
            return null;
        }
        if (given.size() > 1 || given.get(0).getValue().size() > 1) {
            throw ApiProblem.badRequest("meta: filter by one meta key per request");
        }
        String key = given.get(0).getKey().substring(META_PARAMETER.length());
        if (!META_KEY.matcher(key).matches()) {
            throw ApiProblem.badRequest("meta: the key after meta. must be 1 to 100 letters, digits, _ or -");
        }
        return new MetaFilter(key, given.get(0).getValue().get(0));
    }

    public record Acknowledge(@NotNull Boolean acknowledged) {
    }

    @PATCH
    @Path("/{jobId}")
    @Operation(operationId = "acknowledgeRenderJob", summary = "Mark a job acknowledged (or not)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "acknowledge", value = """
            {"acknowledged": true}""")))
    @ResponseExample(status = 200, name = "acknowledged", summary = "The job, now acknowledged", value = """
            {
              "job": {
                "id": "rj_01m84qd3w1v9d3cawbnr7tarnw",
                "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                "deployVersionId": "dv_01m84qd2rn19krp5efh5x1vtm0",
                "businessKey": "invoice-2026-04-28",
                "status": "succeeded",
                "attempt": 1,
                "outputMode": "managed",
                "queue": "default",
                "requestedAt": 1795455094693,
                "startedAt": 1795455096284,
                "finishedAt": 1795455101915,
                "durationMs": 5631,
                "acknowledged": true
              },
              "output": {
                "id": "ro_01m84qdazqmg672knhse8txt13",
                "bytes": 17446,
                "pageCount": 1,
                "sha256": "5a6a8e4d5983f5ef4b24b940d28128613845b2b46e20b0517165951e37fb2607",
                "state": "available",
                "createdAt": 1795455101943
              },
              "pdf": {
                "id": "pdf_01m84qdazqbqca5q5y8kxy8ygj",
                "state": "available",
                "fileName": "invoice-2026-04-28.pdf",
                "bytes": 17446,
                "pageCount": 1,
                "createdAt": 1795455101943
              },
              "previews": {"format": "png", "pages": 1, "bytes": 13676, "state": "available"},
              "outputs": [
                {
                  "format": "pdf",
                  "bytes": 17446,
                  "pages": 1,
                  "sha256": "5a6a8e4d5983f5ef4b24b940d28128613845b2b46e20b0517165951e37fb2607",
                  "state": "available"
                },
                {"format": "png", "bytes": 13676, "pages": 1, "state": "available"}
              ]
            }""")
    @ProblemExample(status = 400, detail = "acknowledged: must not be null")
    public Uni<JobDetail> acknowledge(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId,
            @Valid @NotNull Acknowledge request) {
        return jobs.acknowledge(caller.projectId(), jobId, request.acknowledged());
    }

    @DELETE
    @Path("/{jobId}")
    @Operation(operationId = "cancelRenderJob", summary = "Cancel a job", description = "204 for queued, retry_scheduled "
            + "and rendering jobs; 409 once terminal. An output that still arrives is discarded.")
    @APIResponse(responseCode = "204", description = "Cancelled")
    @ProblemExample(status = 409, code = "job_not_cancellable", detail = "the job is succeeded and can no longer be cancelled")
    public Uni<Response> cancel(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId) {
        return transitions.cancel(caller.projectId(), jobId).map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/{jobId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @StreamOwnerCheck.JobMustExist
    @Operation(operationId = "getRenderJobEvents", summary = TIMELINE, description = TIMELINE_DETAILS)
    @APIResponse(responseCode = "200", description = "The timeline", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING, description = "Server-sent events, one per timeline entry")))
    @ResponseExample(status = 200, name = "succeeded", summary = "The timeline of a succeeded job", value = """
            {
              "data": [
                {"id": 1, "type": "created", "attempt": 0, "at": 1795455094693, "details": {}},
                {"id": 2, "type": "queued", "attempt": 0, "at": 1795455094693, "details": {"queue": "default"}},
                {"id": 3, "type": "rendering", "attempt": 1, "at": 1795455096284, "details": {}},
                {"id": 4, "type": "succeeded", "attempt": 1, "at": 1795455101915, "details": {"outputBytes": 17446}},
                {"id": 5, "type": "payload_purged", "attempt": 1, "at": 1795455101943, "details": {}}
              ],
              "nextCursor": null
            }""")
    @ResponseExample(status = 200, mediaType = MediaType.SERVER_SENT_EVENTS, name = "succeeded", summary = "The same timeline as a stream; it ends after the terminal event", value = """
            id:1
            event:created
            data:{"id":1,"type":"created","attempt":0,"at":1795455094693,"details":{}}

            id:2
            event:queued
            data:{"id":2,"type":"queued","attempt":0,"at":1795455094693,"details":{"queue":"default"}}

            id:3
            event:rendering
            data:{"id":3,"type":"rendering","attempt":1,"at":1795455096284,"details":{}}

            id:4
            event:succeeded
            data:{"id":4,"type":"succeeded","attempt":1,"at":1795455101915,"details":{"outputBytes":17446}}

            """)
    @ProblemExample(status = 400, detail = "Last-Event-ID: must be an event id from this stream")
    @ProblemExample(status = 429, code = "too_many_streams", detail = "this project has 20 event streams open on this "
            + "server; close one or retry after 5 s")
    public Multi<OutboundSseEvent> stream(
            @Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId,
            @Parameter(description = "SSE only: resume after this event id (the id of the last event received)") @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse) {
        long after = parseEventId(lastEventId);
        // data is the event's JSON, written as text: a media type on the event would add a non-standard field
        return heartbeatAndDeadline(waits.follow(jobId, after).map(event -> sse.newEventBuilder()
                .id(Long.toString(event.id())).name(event.type()).data(asJson(event)).build()), sse);
    }

    /**
     * The stream with a comment line every {@code stream-heartbeat} (proxies close connections that stay silent, and
     * a dead client is noticed when a write fails), ended after {@code stream-max-duration} (the client reconnects
     * with Last-Event-ID and misses nothing). The events' end is a marker that stops the heartbeats with them.
     */
    private Multi<OutboundSseEvent> heartbeatAndDeadline(Multi<OutboundSseEvent> events, Sse sse) {
        Duration every = config.http().streamHeartbeat();
        Multi<Optional<OutboundSseEvent>> beats = Multi.createFrom().ticks().startingAfter(every).every(every)
                .onOverflow().drop()
                .map(tick -> Optional.of(sse.newEventBuilder().comment("heartbeat").build()));
        Multi<Optional<OutboundSseEvent>> live = events.map(Optional::of).onCompletion().continueWith(Optional.empty());
        return Multi.createBy().merging().streams(live, beats)
                .select().first(Optional::isPresent).map(Optional::get)
                .select().first(config.http().streamMaxDuration());
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

    /** The JSON variant of {@link #stream}: one operation, whose id, examples and problems are written there. */
    @GET
    @Path("/{jobId}/events")
    @Operation(summary = TIMELINE, description = TIMELINE_DETAILS)
    public Uni<Page<EventView>> events(@PathParam("jobId") String jobId) {
        return jobs.timeline(caller.projectId(), jobId, 0).map(events -> new Page<>(
                events.stream().map(EventView::of).toList(), null));
    }

    @GET
    @Path("/{jobId}/report")
    @Operation(operationId = "getRenderJobReport", summary = "The render report of a succeeded job", description = "Pages, "
            + "bytes, sha256, timings in ms (queueWait, merge, load, print, upload), console errors and blocked requests.")
    @APIResponse(responseCode = "200", description = "The report", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RenderReport.class)))
    @ResponseExample(status = 200, name = "report", summary = "One stylesheet refused by the sandbox", value = """
            {
              "jobId": "rj_01m84qd3w1v9d3cawbnr7tarnw",
              "attempt": 1,
              "pages": 1,
              "bytes": 17446,
              "sha256": "5a6a8e4d5983f5ef4b24b940d28128613845b2b46e20b0517165951e37fb2607",
              "timings": {"queueWait": 1591, "merge": 575, "load": 307, "print": 168, "upload": 899},
              "consoleErrors": ["Failed to load resource: net::ERR_BLOCKED_BY_CLIENT"],
              "blockedRequests": [{"url": "https://fonts.googleapis.com/css2?family=Inter", "reason": "host_not_allowed"}]
            }""")
    @ProblemExample(status = 404, code = "report_not_found", detail = "the job has no render report")
    @ProblemExample(status = 409, code = "output_not_ready", detail = "the job is rendering; its report is not available yet")
    @ProblemExample(status = 503, code = "storage_unavailable", detail = "object storage is not available")
    public Uni<Response> report(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId) {
        return outputs.report(caller.projectId(), jobId)
                .map(report -> Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build());
    }

    @POST
    @Path("/{jobId}/output-download")
    @Operation(operationId = "createOutputDownload", summary = "A signed, expiring link that downloads the PDF (attachment)")
    @ResponseExample(status = 200, name = "link", summary = "?expiresInSeconds=3600", value = """
            {
              "access": {
                "url": "https://pressroom.example.com/v1/downloads/MXxyb18wMW04NHFkYXpxbWc2NzJrbmhzZTh0eHQxM3xhdHRhY2htZW50fDE3OTU0NTg3MDI1NTk.fzbPWQx3uKX9RVcmOCKqhO7mpLN5LbKfRa-vlXkw5EA",
                "expiresAt": 1795458702559
              }
            }""")
    @ProblemExample(status = 404, code = "output_not_found", detail = "the job has no output (it failed)")
    @ProblemExample(status = 404, code = "output_gone", detail = "the output was deleted")
    @ProblemExample(status = 409, code = "output_not_ready", detail = "the job is rendering; its output is not available yet")
    @ProblemExample(status = 400, detail = "expiresInSeconds: must be between 1 and 604800")
    public Uni<AccessView> download(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId,
            @Parameter(description = LINK_LIFETIME, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "604800", defaultValue = "600")) @QueryParam("expiresInSeconds") Integer expiresInSeconds,
            @Context UriInfo uri) {
        return link(jobId, false, expiresInSeconds, uri);
    }

    @POST
    @Path("/{jobId}/output-preview")
    @Operation(operationId = "createOutputPreview", summary = "A signed, expiring link that shows the PDF in a browser (inline)")
    @ResponseExample(status = 200, name = "link", summary = "The default lifetime (600 s)", value = """
            {
              "access": {
                "url": "https://pressroom.example.com/v1/downloads/MXxyb18wMW04NHFkYXpxbWc2NzJrbmhzZTh0eHQxM3xpbmxpbmV8MTc5NTQ1NTcwMjYyMQ.m2_mq0xg0D3uHk-6A1LgyoeeUElfHeZPf_D9ZlaalDk",
                "expiresAt": 1795455702621
              }
            }""")
    @ProblemExample(status = 404, code = "output_not_found", detail = "the job has no output (it failed)")
    @ProblemExample(status = 404, code = "output_gone", detail = "the output was deleted")
    @ProblemExample(status = 409, code = "output_not_ready", detail = "the job is rendering; its output is not available yet")
    @ProblemExample(status = 400, detail = "expiresInSeconds: must be between 1 and 604800")
    public Uni<AccessView> preview(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId,
            @Parameter(description = LINK_LIFETIME, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "604800", defaultValue = "600")) @QueryParam("expiresInSeconds") Integer expiresInSeconds,
            @Context UriInfo uri) {
        return link(jobId, true, expiresInSeconds, uri);
    }

    @GET
    @Path("/{jobId}/output")
    @Produces("application/pdf") // one type, not JSON: see DownloadResource
    @Operation(operationId = "getRenderJobOutput", summary = "Download the PDF through the API", description = "A private "
            + "download with the project key; no storage URL is exposed. Streamed, with `Range` support "
            + "(`Accept-Ranges: bytes`, `ETag` is the quoted sha256, `If-Range`).")
    @APIResponse(responseCode = "200", description = "The PDF, as an attachment named after the job's file name", headers = {
            @Header(name = "Content-Disposition", description = "attachment; filename=\"….pdf\"", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "ETag", description = "The quoted sha256 of the PDF", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Accept-Ranges", description = "bytes", schema = @Schema(type = SchemaType.STRING)) }, content = @Content(mediaType = PDF, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "206", description = "The part of the PDF the Range header asked for", headers = @Header(name = "Content-Range", description = "bytes first-last/length", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = PDF, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @ProblemExample(status = 404, code = "output_gone", detail = "the output was deleted")
    @ProblemExample(status = 409, code = "output_not_ready", detail = "the job is rendering; its output is not available yet")
    @ProblemExample(status = 416, code = "range_not_satisfiable", detail = "the range asked for lies beyond the 17446 bytes of the file")
    @ProblemExample(status = 429, code = "too_many_downloads", detail = "the project's files are already being downloaded 16 times at once on this API pod; retry when one has finished")
    @ProblemExample(status = 503, code = "server_busy", detail = "this API pod is serving 32 downloads at once; retry after 1 s")
    @ProblemExample(status = 503, code = "storage_unavailable", detail = "object storage is not available")
    public RestMulti<Buffer> output(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId,
            @Parameter(description = DownloadResource.RANGE, example = "bytes=0-1023") @HeaderParam("Range") String range,
            @Parameter(description = DownloadResource.IF_RANGE) @HeaderParam("If-Range") String ifRange) {
        return downloads.send(outputs.openForProject(caller.projectId(), jobId, new Asked(range, ifRange)));
    }

    @GET
    @Path("/{jobId}/output/pages/{page}.png")
    @Produces("image/png") // one type, not JSON: see DownloadResource
    @Operation(operationId = "getRenderJobOutputPage", summary = "A PNG preview of one page (jobs created with formats [\"pdf\", \"png\"])", description = "Streamed, with `Range` support.")
    @APIResponse(responseCode = "200", description = "The page as PNG (96 DPI)", content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "206", description = "The part of the PNG the Range header asked for", headers = @Header(name = "Content-Range", description = "bytes first-last/length", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @ProblemExample(status = 404, code = "preview_not_found", detail = "no preview of page 2: the job has previews of pages 1 to 1")
    @ProblemExample(status = 409, code = "output_not_ready", detail = "the job is rendering; its output is not available yet")
    @ProblemExample(status = 416, code = "range_not_satisfiable", detail = "the range asked for lies beyond the 13676 bytes of the file")
    @ProblemExample(status = 429, code = "too_many_downloads", detail = "the project's files are already being downloaded 16 times at once on this API pod; retry when one has finished")
    @ProblemExample(status = 503, code = "server_busy", detail = "this API pod is serving 32 downloads at once; retry after 1 s")
    @ProblemExample(status = 503, code = "storage_unavailable", detail = "object storage is not available")
    public RestMulti<Buffer> page(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId,
            @Parameter(description = "Page number, from 1 to previews.pages", schema = @Schema(type = SchemaType.INTEGER, minimum = "1"), example = "2") @PathParam("page") int page,
            @Parameter(description = DownloadResource.RANGE, example = "bytes=0-1023") @HeaderParam("Range") String range,
            @Parameter(description = DownloadResource.IF_RANGE) @HeaderParam("If-Range") String ifRange) {
        return downloads.send(outputs.preview(caller.projectId(), jobId, page, new Asked(range, ifRange)));
    }

    @GET
    @Path("/{jobId}/diff/pages/{page}.png")
    @Produces("image/png") // one type, not JSON: see DownloadResource
    @Operation(operationId = "getRenderJobDiffPage", summary = "The difference image of one page against the job's baseline (jobs created with baselineJobId)", description = "Unchanged pixels faded grey, changed pixels red; deleted with the job's PDF. Streamed, with `Range` support.")
    @APIResponse(responseCode = "200", description = "The difference image as PNG (72 DPI)", content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "206", description = "The part of the PNG the Range header asked for", headers = @Header(name = "Content-Range", description = "bytes first-last/length", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @ProblemExample(status = 404, code = "diff_page_not_found", detail = "no difference image of page 3: the job has them for pages 1 to 2")
    @ProblemExample(status = 409, code = "output_not_ready", detail = "the job is rendering; its output is not available yet")
    @ProblemExample(status = 429, code = "too_many_downloads", detail = "the project's files are already being downloaded 16 times at once on this API pod; retry when one has finished")
    @ProblemExample(status = 503, code = "server_busy", detail = "this API pod is serving 32 downloads at once; retry after 1 s")
    @ProblemExample(status = 503, code = "storage_unavailable", detail = "object storage is not available")
    public RestMulti<Buffer> diffPage(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId,
            @Parameter(description = "Page number, from 1 to the number of diff.pages", schema = @Schema(type = SchemaType.INTEGER, minimum = "1"), example = "1") @PathParam("page") int page,
            @Parameter(description = DownloadResource.RANGE, example = "bytes=0-1023") @HeaderParam("Range") String range,
            @Parameter(description = DownloadResource.IF_RANGE) @HeaderParam("If-Range") String ifRange) {
        return downloads.send(outputs.diffImage(caller.projectId(), jobId, page, new Asked(range, ifRange)));
    }

    @DELETE
    @Path("/{jobId}/output")
    @Operation(operationId = "deleteRenderJobOutput", summary = "Delete the job's PDF", description = "Links handed out before stop working.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @ProblemExample(status = 404, code = "output_gone", detail = "the output was deleted")
    @ProblemExample(status = 409, code = "output_not_ready", detail = "the job is rendering; its output is not available yet")
    public Uni<Response> deleteOutput(
            @Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId) {
        return outputs.delete(caller.projectId(), jobId).map(ignored -> Response.noContent().build());
    }

    private Uni<AccessView> link(String jobId, boolean inline, Integer expiresInSeconds, UriInfo uri) {
        Instant expiresAt = Instant.now().plusSeconds(linkSeconds(expiresInSeconds, config));
        String base = linkBase(config, uri);
        return outputs.link(caller.projectId(), jobId, inline, expiresAt)
                .map(token -> new AccessView(new Access(base + "/v1/downloads/" + token, expiresAt.toEpochMilli())));
    }
}
