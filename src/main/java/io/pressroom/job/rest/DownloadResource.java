package io.pressroom.job.rest;

import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pressroom.common.ApiProblem;
import io.pressroom.common.ProblemExample;
import io.pressroom.job.service.DownloadLinks;
import io.pressroom.job.service.OutputService;
import io.smallrye.mutiny.Uni;

/** Serves signed links: the token is the credential, no API key is needed. */
@Path("/v1/downloads")
@Tag(name = "Render jobs")
public class DownloadResource {

    private final DownloadLinks links;
    private final OutputService outputs;

    public DownloadResource(DownloadLinks links, OutputService outputs) {
        this.links = links;
        this.outputs = outputs;
    }

    @GET
    @Path("/{token}")
    @SecurityRequirementsSet
    @Operation(operationId = "downloadOutput", summary = "Download or preview a PDF through a signed link", description = "The "
            + "url of output-download or output-preview; no API key. Not cached by shared caches.")
    @APIResponse(responseCode = "200", description = "The PDF", headers = @Header(name = "Content-Disposition", description = "attachment (output-download) or inline (output-preview), with the file name", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = "application/pdf", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @ProblemExample(status = 403, code = "link_invalid", detail = "this link is not valid")
    @ProblemExample(status = 404, code = "output_gone", detail = "this output was deleted or expired")
    @ProblemExample(status = 410, code = "link_expired", detail = "this link has expired")
    @ProblemExample(status = 503, code = "storage_unavailable", detail = "object storage is not available")
    public Uni<Response> download(
            @Parameter(description = "The signed token of the link", example = "MXxyb18wMW04NHFkYXpxbWc2NzJrbmhzZTh0eHQxM3xhdHRhY2htZW50fDE3OTU0NTg3MDI1NTk.fzbPWQx3uKX9RVcmOCKqhO7mpLN5LbKfRa-vlXkw5EA") @PathParam("token") String token) {
        DownloadLinks.Grant grant;
        try {
            grant = links.verify(token, Instant.now());
        } catch (DownloadLinks.Refused refused) {
            return Uni.createFrom().failure(refused.reason() == DownloadLinks.Refusal.EXPIRED
                    ? new ApiProblem(410, "link_expired", "Gone", "this link has expired")
                    : new ApiProblem(403, "link_invalid", "Forbidden", "this link is not valid"));
        }
        return outputs.open(grant).map(DownloadResource::send);
    }

    /** The PDF with its file name; never cached by shared caches. */
    static Response send(OutputService.Download download) {
        return Response.ok(download.content(), download.output().contentType)
                .header(HttpHeaders.CONTENT_DISPOSITION, (download.inline() ? "inline" : "attachment")
                        + "; filename=\"" + download.output().fileName + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "private, no-store")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }
}
