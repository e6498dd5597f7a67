package io.pressroom.job.rest;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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

import io.pressroom.auth.Caller;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.ProblemExample;
import io.pressroom.job.service.TemplatePreviews;
import io.pressroom.job.service.TemplatePreviews.Failed;
import io.pressroom.job.service.TemplatePreviews.Format;
import io.pressroom.job.service.TemplatePreviews.Rendered;
import io.pressroom.job.service.TemplatePreviews.TimedOut;
import io.smallrye.mutiny.Uni;

/** The live preview of a deploy version: rendered now, answered as an image (or the PDF), stored nowhere. */
@Path("/v1/deploys/{deployId}/versions/{versionId}/preview")
@Tag(name = "Deploys")
public class TemplatePreviewResource {

    static final String PNG = "image/png";
    static final String PDF = "application/pdf";

    private final TemplatePreviews previews;
    private final Caller caller;

    public TemplatePreviewResource(TemplatePreviews previews, Caller caller) {
        this.previews = previews;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({ PNG, PDF })
    @Operation(operationId = "previewDeployVersion", summary = "Preview a version: its first page as PNG, or the PDF", description = "Renders the "
            + "version at once with its samplePayload, or with the JSON object sent as the body (the payload itself, "
            + "checked against the version's schema like a job's: 400 payload_invalid), and answers the first page "
            + "as PNG (96 DPI), or the whole PDF with Accept: application/pdf. A preview is a test render: every "
            + "page carries the TEST watermark, it counts in no usage figure or quota, and it is stored nowhere (no "
            + "job is listed, nothing is kept in object storage). It goes through the normal pipeline on the "
            + "renderers' preview queue, which has pages of its own (pressroom.chromium.preview-concurrency). 400 "
            + "payload_required when there is no body and the version has no samplePayload; 422 preview_failed "
            + "when the render fails (the job error code is in errorCode); 504 preview_timeout after "
            + "pressroom.jobs.preview-timeout (10 s), when the render is cancelled.")
    @RequestBody(required = false, description = "The payload to render with (a JSON object); without a body, the version's samplePayload", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "payload", summary = "An invoice's data", value = """
            {"customer": {"name": "Acme Corp"}, "items": [{"name": "Widget", "qty": 2, "price": 9.5}], "total": 19}""")))
    @APIResponse(responseCode = "200", description = "The first page as PNG (the default), or the PDF with Accept: application/pdf", headers = @Header(name = "X-Pressroom-Pages", description = "The document's page count", schema = @Schema(type = SchemaType.INTEGER)), content = {
            @Content(mediaType = PNG, schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = PDF, schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    @ProblemExample(status = 400, code = "payload_required", detail = "payload: version dv_01m84qd2rn19krp5efh5x1vtm0 has no samplePayload; send the payload to preview with in the body")
    @ProblemExample(status = 400, code = "payload_invalid", detail = "payload: does not match the version's schema in 1 place: /customer/name required property 'name' not found", violations = "/customer/name: required property 'name' not found")
    @ProblemExample(status = 404, detail = "version dv_01m84qd2rn19krp5efh5x1vtm0 does not exist")
    @ProblemExample(status = 413, detail = "payload: is larger than 5242880 bytes")
    @ProblemExample(status = 422, code = "preview_failed", detail = "the render failed: navigation_timeout: the page did not load within 30000 ms")
    @ProblemExample(status = 429, code = "queue_full", detail = "this project has 1000 jobs queued or rendering, the "
            + "most it may have (1000); retry after 10 s")
    @ProblemExample(status = 503, code = "storage_unavailable", detail = "object storage is not available")
    @ProblemExample(status = 504, code = "preview_timeout", detail = "the preview did not render within 10 s")
    public Uni<Response> preview(
            @Parameter(description = "The deploy's id (dpl_…) or its slug", example = "dpl_01m84qd2af2gfm2zn5zrf03dxc") @PathParam("deployId") String deployId,
            @Parameter(description = "A version id (dv_…) or latest", example = "latest") @PathParam("versionId") String versionId,
            @Context HttpHeaders headers, Map<String, Object> payload) {
        Format format = wantsPdf(headers) ? Format.PDF : Format.PNG;
        return previews.preview(caller.projectId(), deployId, versionId, payload, format).map(outcome -> {
            if (outcome instanceof Rendered rendered) {
                return Response.ok(rendered.content(), format == Format.PDF ? PDF : PNG)
                        .header("X-Pressroom-Pages", rendered.pages()).header("Cache-Control", "no-store").build();
            }
            if (outcome instanceof Failed failed) {
                throw ApiProblem.of(422, "preview_failed", "the render failed"
                        + (failed.errorCode() == null ? "" : ": " + failed.errorCode() + ": " + failed.message()))
                        .withMember("errorCode", failed.errorCode());
            }
            TimedOut late = (TimedOut) outcome;
            throw ApiProblem.of(504, "preview_timeout", "the preview did not render within "
                    + late.timeout().toSeconds() + " s");
        });
    }

    /** The PDF when the client prefers it to PNG; PNG for anything else ({@code *}{@code /*}, no Accept, image/*). */
    static boolean wantsPdf(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) { // most preferred first
            if (type.isCompatible(MediaType.valueOf(PNG))) {
                return false;
            }
            if (type.isCompatible(MediaType.valueOf(PDF))) {
                return true;
            }
        }
        return false;
    }
}
