package io.pressroom.job.rest;

import java.net.URI;
import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

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

import io.pressroom.auth.Caller;
import io.pressroom.common.ByteRanges.Asked;
import io.pressroom.common.Cursors;
import io.pressroom.common.Page;
import io.pressroom.common.ProblemExample;
import io.pressroom.common.Refusal;
import io.pressroom.common.ResponseExample;
import io.pressroom.config.PressroomConfig;
import io.pressroom.job.service.BatchService;
import io.pressroom.job.service.BatchViews.BatchAccepted;
import io.pressroom.job.service.BatchViews.BatchDetail;
import io.pressroom.job.service.BatchViews.ItemView;
import io.pressroom.job.service.CreateBatch;
import io.pressroom.job.service.JobViews.Access;
import io.pressroom.job.service.JobViews.AccessView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/** Batches: many jobs of one deploy version at once, followed, cancelled and downloaded as one. */
@Path("/v1/render-batches")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Render batches", description = "Up to 1000 jobs of one deploy version at once, with a merged PDF or a zip of them all")
public class RenderBatchResource {

    private static final String BATCH_ID = "The batch's id (rb_…)";
    private static final String EXAMPLE_BATCH = "rb_01m84qe0s3k7m2c9v5x8n1b4qa";
    private static final String KIND = "Which output: merged (the PDF of every item, in item order) or zip (the items' PDFs)";
    private static final String DETAIL = """
            {
              "batch": {
                "id": "rb_01m84qe0s3k7m2c9v5x8n1b4qa",
                "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                "deployVersionId": "dv_01m84qd2rn19krp5efh5x1vtm0",
                "status": "succeeded",
                "itemCount": 3,
                "counts": {"queued": 0, "rendering": 0, "retryScheduled": 0, "succeeded": 3, "failed": 0, "cancelled": 0},
                "merge": true,
                "zip": true,
                "createdAt": 1795455094693,
                "finishedAt": 1795455101915
              },
              "outputs": [
                {"id": "bo_01m84qe2x0d4w6r8t1y3u5i7oa", "kind": "merged", "fileName": "rb_01m84qe0s3k7m2c9v5x8n1b4qa.pdf",
                 "contentType": "application/pdf", "bytes": 52338, "pageCount": 3,
                 "sha256": "0d1f5e2c4a3b6d8e9f00112233445566778899aabbccddeeff00112233445566", "state": "available",
                 "createdAt": 1795455101915},
                {"id": "bo_01m84qe2x0ab3cd4ef5gh6jk7la", "kind": "zip", "fileName": "rb_01m84qe0s3k7m2c9v5x8n1b4qa.zip",
                 "contentType": "application/zip", "bytes": 50122,
                 "sha256": "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100", "state": "available",
                 "createdAt": 1795455101915}
              ]
            }""";

    private final BatchService batches;
    private final DownloadSlots downloads;
    private final Caller caller;
    private final PressroomConfig config;

    public RenderBatchResource(BatchService batches, Caller caller, PressroomConfig config, DownloadSlots downloads) {
        this.downloads = downloads;
        this.batches = batches;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Operation(operationId = "createRenderBatch", summary = "Create a batch: one render job per item", description = "Up "
            + "to 1000 items of one deploy version (resolved once), sharing outputMode, queue, options and test. "
            + "Every item becomes a normal job (listed with GET /v1/render-jobs?batchId=), created with the batch in "
            + "one transaction: a refused batch creates nothing. 400 names the field, and a payload that breaks the "
            + "version's schema is listed by pointer into this body (/items/3/payload/customer/name). A batch that "
            + "would pass the project's unfinished-job cap is 429 queue_full, its monthly page quota 402 "
            + "quota_exceeded (each item counts a page until it ends). With Idempotency-Key, the same body within "
            + "24 h returns the original answer; another body 409 idempotency_key_reused. The whole body is bounded "
            + "by pressroom.http.max-body-size (413).")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "plain", summary = "Three invoices, each its own job", value = """
                    {
                      "deployId": "invoice",
                      "items": [
                        {"payload": {"customer": "Acme Corp", "total": 42.99}, "businessKey": "invoice-1001", "meta": {"orderId": "A-1001"}},
                        {"payload": {"customer": "Globex", "total": 19.5}, "businessKey": "invoice-1002"},
                        {"payload": {"customer": "Initech", "total": 7}, "businessKey": "invoice-1003"}
                      ]
                    }"""),
            @ExampleObject(name = "merged", summary = "A month of statements as one PDF, in item order", value = """
                    {"deployId": "statement", "deployVersionId": "latest", "merge": true,
                     "webhookUrl": "https://example.com/hooks/pressroom",
                     "items": [{"payload": {"account": "1"}}, {"payload": {"account": "2"}}]}"""),
            @ExampleObject(name = "zipped", summary = "A zip of the items' PDFs, with shared options", value = """
                    {"deployId": "certificate", "zip": true, "outputMode": "transient", "queue": "priority",
                     "options": {"format": "A4", "landscape": true},
                     "items": [{"payload": {"name": "Ada"}, "businessKey": "cert-ada"}, {"payload": {"name": "Alan"}, "businessKey": "cert-alan"}]}""") }))
    @APIResponse(responseCode = "202", description = "Accepted: the batch and its jobs are queued", headers = @Header(name = "Location", description = "The batch's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = BatchAccepted.class)))
    @ResponseExample(status = 202, name = "queued", summary = "The plain request", value = """
            {
              "accepted": true,
              "batch": {
                "id": "rb_01m84qe0s3k7m2c9v5x8n1b4qa",
                "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                "deployVersionId": "dv_01m84qd2rn19krp5efh5x1vtm0",
                "status": "running",
                "itemCount": 3,
                "counts": {"queued": 3, "rendering": 0, "retryScheduled": 0, "succeeded": 0, "failed": 0, "cancelled": 0},
                "merge": false,
                "zip": false,
                "createdAt": 1795455094693
              }
            }""")
    @ProblemExample(status = 400, detail = "items: size must be between 1 and 1000")
    @ProblemExample(status = 400, detail = "items[2].meta: is larger than 4096 bytes (serialized JSON)")
    @ProblemExample(status = 400, code = "payload_invalid", detail = "items[3].payload: does not match the version's schema in 1 place: /customer/name required property 'name' not found", violations = {
            "/items/3/payload/customer/name: required property 'name' not found" })
    @ProblemExample(status = 402, code = "quota_exceeded", detail = "this project used 950 of its 1000 pages this month and a batch of 100 jobs would pass it; the quota resets at 2027-01-01T00:00:00Z")
    @ProblemExample(status = 404, detail = "deploy invoice does not exist")
    @ProblemExample(status = 409, code = "idempotency_key_reused", detail = "Idempotency-Key was already used with different parameters")
    @ProblemExample(status = 413, detail = "items[7].payload: is larger than 5242880 bytes")
    @ProblemExample(status = 429, code = "queue_full", detail = "this project has 950 jobs queued or rendering; 100 more would pass, the most it may have (1000); retry after 10 s")
    public Uni<Response> create(@Valid @NotNull CreateBatch request,
            @Parameter(description = "Makes retries safe: the same key with the same body within 24 h returns the "
                    + "original answer; with another body, 409 idempotency_key_reused. Scoped to the project, shared "
                    + "with job creation.", schema = @Schema(type = SchemaType.STRING, maxLength = 255)) @HeaderParam("Idempotency-Key") String key) {
        return batches.create(caller.projectId(), request, key)
                .map(created -> Response.status(created.status())
                        .location(URI.create("/v1/render-batches/" + created.batchId())).entity(created.body())
                        .build());
    }

    @GET
    @Path("/{batchId}")
    @Operation(operationId = "getRenderBatch", summary = "Get a batch: its status, its items' counts by status and its outputs")
    @ResponseExample(status = 200, name = "succeeded", summary = "Merged and zipped", value = DETAIL)
    @ProblemExample(status = 404, detail = "render batch rb_01m84qe0s3k7m2c9v5x8n1b4qa does not exist")
    public Uni<BatchDetail> get(
            @Parameter(description = BATCH_ID, example = EXAMPLE_BATCH) @PathParam("batchId") String batchId) {
        return batches.find(caller.projectId(), batchId);
    }

    @GET
    @Path("/{batchId}/items")
    @Operation(operationId = "listRenderBatchItems", summary = "The batch's items in item order, each with its job and status", description = "Pass nextCursor back as cursor for the next page.")
    @ResponseExample(status = 200, name = "page", summary = "limit=2", value = """
            {
              "data": [
                {"index": 0, "jobId": "rj_01m84qe0t1a2b3c4d5e6f7g8h9", "businessKey": "invoice-1001", "status": "succeeded", "meta": {"orderId": "A-1001"}},
                {"index": 1, "jobId": "rj_01m84qe0t1j2k3m4n5p6q7r8s9", "businessKey": "invoice-1002", "status": "failed", "errorCode": "template_error"}
              ],
              "nextCursor": "MQ"
            }""")
    @ProblemExample(status = 400, detail = "limit: must be between 1 and 1000")
    @ProblemExample(status = 404, detail = "render batch rb_01m84qe0s3k7m2c9v5x8n1b4qa does not exist")
    public Uni<Page<ItemView>> items(
            @Parameter(description = BATCH_ID, example = EXAMPLE_BATCH) @PathParam("batchId") String batchId,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100")) @QueryParam("limit") Integer limit,
            @Parameter(description = "The nextCursor of the previous page; absent for the first page") @QueryParam("cursor") String cursor) {
        int size = Cursors.checkLimit(limit, 100, BatchService.MAX_ITEMS);
        int after = afterIndex(Cursors.decode(cursor));
        return batches.items(caller.projectId(), batchId, after, size + 1)
                .map(rows -> Page.of(rows, size, ItemView::of, job -> Integer.toString(job.batchIndex)));
    }

    private static int afterIndex(String position) {
        if (position == null) {
            return -1;
        }
        try {
            return Integer.parseInt(position);
        } catch (NumberFormatException e) {
            throw new Refusal.Invalid("cursor: is not a cursor returned by this API");
        }
    }

    @POST
    @Path("/{batchId}/cancel")
    @Operation(operationId = "cancelRenderBatch", summary = "Cancel every item that has not ended", description = "Each "
            + "queued, retry_scheduled or rendering item is cancelled as DELETE /v1/render-jobs/{id} would; items "
            + "that ended stay as they are. The batch then ends cancelled (batch.failed is sent). 409 "
            + "batch_not_cancellable once every item has ended (the batch is assembling or has ended).")
    @ResponseExample(status = 200, name = "cancelled", summary = "Two items had succeeded, three were cancelled", value = """
            {
              "batch": {
                "id": "rb_01m84qe0s3k7m2c9v5x8n1b4qa",
                "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                "deployVersionId": "dv_01m84qd2rn19krp5efh5x1vtm0",
                "status": "cancelled",
                "itemCount": 5,
                "counts": {"queued": 0, "rendering": 0, "retryScheduled": 0, "succeeded": 2, "failed": 0, "cancelled": 3},
                "merge": true,
                "zip": false,
                "createdAt": 1795455094693,
                "finishedAt": 1795455099120,
                "errorCode": "batch_cancelled",
                "errorMessage": "the batch was cancelled: 0 of 5 items failed, 3 were cancelled"
              },
              "outputs": []
            }""")
    @ProblemExample(status = 404, detail = "render batch rb_01m84qe0s3k7m2c9v5x8n1b4qa does not exist")
    @ProblemExample(status = 409, code = "batch_not_cancellable", detail = "the batch is succeeded and can no longer be cancelled")
    public Uni<BatchDetail> cancel(
            @Parameter(description = BATCH_ID, example = EXAMPLE_BATCH) @PathParam("batchId") String batchId) {
        return batches.cancel(caller.projectId(), batchId);
    }

    @POST
    @Path("/{batchId}/output-download")
    @Operation(operationId = "createBatchOutputDownload", summary = "A signed, expiring link that downloads the merged PDF or the zip", description = "The "
            + "same links as a job's output-download: served by GET /v1/downloads/{token}, no API key needed.")
    @ResponseExample(status = 200, name = "link", summary = "?kind=merged&expiresInSeconds=3600", value = """
            {
              "access": {
                "url": "https://pressroom.example.com/v1/downloads/MnwxfGJvXzAxbTg0cWUyeDBkNHc2cjh0MXkzdTVpN29hfGF0dGFjaG1lbnR8MTc5NTQ1ODcwMjU1OQ.fzbPWQx3uKX9RVcmOCKqhO7mpLN5LbKfRa-vlXkw5EA",
                "expiresAt": 1795458702559
              }
            }""")
    @ProblemExample(status = 400, detail = "kind: must be merged or zip")
    @ProblemExample(status = 404, code = "output_not_found", detail = "the batch was created without merge")
    @ProblemExample(status = 409, code = "output_not_ready", detail = "the batch is running; its merged output is not available yet")
    public Uni<AccessView> download(
            @Parameter(description = BATCH_ID, example = EXAMPLE_BATCH) @PathParam("batchId") String batchId,
            @Parameter(description = KIND, required = true, schema = @Schema(type = SchemaType.STRING, enumeration = {
                    "merged", "zip" })) @QueryParam("kind") String kind,
            @Parameter(description = "Lifetime of the link in seconds; default pressroom.downloads.default-expiry-seconds (600)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "604800", defaultValue = "600")) @QueryParam("expiresInSeconds") Integer expiresInSeconds,
            @Context UriInfo uri) {
        Instant expiresAt = Instant.now().plusSeconds(RenderJobResource.linkSeconds(expiresInSeconds, config));
        String base = RenderJobResource.linkBase(config, uri);
        return batches.link(caller.projectId(), batchId, kind, false, expiresAt)
                .map(token -> new AccessView(new Access(base + "/v1/downloads/" + token, expiresAt.toEpochMilli())));
    }

    @GET
    @Path("/{batchId}/output")
    @Produces("application/octet-stream") // one type, not JSON: see DownloadResource; the file's own type is sent
    @Operation(operationId = "getRenderBatchOutput", summary = "Download the merged PDF or the zip through the API", description = "A "
            + "private download with the project key. Streamed, with `Range` support, as a job's output.")
    @APIResponse(responseCode = "200", description = "The merged PDF (application/pdf) or the zip (application/zip), as an attachment", content = {
            @Content(mediaType = "application/pdf", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/zip", schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    @APIResponse(responseCode = "206", description = "The part of the file the Range header asked for", content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @ProblemExample(status = 400, detail = "kind: must be merged or zip")
    @ProblemExample(status = 404, code = "output_not_found", detail = "the batch has no merged output (it is failed)")
    @ProblemExample(status = 409, code = "output_not_ready", detail = "the batch is assembling; its merged output is not available yet")
    @ProblemExample(status = 429, code = "too_many_downloads", detail = "the project's files are already being downloaded 16 times at once on this API pod; retry when one has finished")
    @ProblemExample(status = 503, code = "server_busy", detail = "this API pod is serving 32 downloads at once; retry after 1 s")
    @ProblemExample(status = 503, code = "storage_unavailable", detail = "object storage is not available")
    public RestMulti<Buffer> output(
            @Parameter(description = BATCH_ID, example = EXAMPLE_BATCH) @PathParam("batchId") String batchId,
            @Parameter(description = KIND, required = true, schema = @Schema(type = SchemaType.STRING, enumeration = {
                    "merged", "zip" })) @QueryParam("kind") String kind,
            @Parameter(description = DownloadResource.RANGE, example = "bytes=0-1023") @HeaderParam("Range") String range,
            @Parameter(description = DownloadResource.IF_RANGE) @HeaderParam("If-Range") String ifRange) {
        return downloads.send(batches.open(caller.projectId(), batchId, kind, new Asked(range, ifRange)));
    }
}
