package io.pressroom.job.rest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

import io.pressroom.common.ApiProblem;
import io.pressroom.common.ByteRanges.Asked;
import io.pressroom.common.ProblemExample;
import io.pressroom.job.service.DownloadLinks;
import io.pressroom.job.service.OutputService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/** Serves signed links: the token is the credential, no API key is needed. */
@Path("/v1/downloads")
@Tag(name = "Render jobs")
public class DownloadResource {

    /** What the OpenAPI document says of the Range header. */
    static final String RANGE = "One byte range (`bytes=first-last`, `bytes=first-` or `bytes=-suffixLength`): "
            + "206 with that part; a range beyond the end is 416. Several ranges, or a malformed header, get the whole "
            + "file.";
    static final String IF_RANGE = "The ETag of the version the client holds part of: the range is sent only when "
            + "the file is still that version, the whole file otherwise.";

    private final DownloadLinks links;
    private final OutputService outputs;
    private final DownloadSlots slots;

    public DownloadResource(DownloadLinks links, OutputService outputs, DownloadSlots slots) {
        this.links = links;
        this.outputs = outputs;
        this.slots = slots;
    }

    @GET
    @Path("/{token}")
    // one type, not JSON: RESTEasy streams a RestMulti only with a single @Produces, and one that contains "json" it
    // would frame as a JSON array; the Content-Type header sent is the file's own
    @Produces("application/pdf")
    @SecurityRequirementsSet
    @Operation(operationId = "downloadOutput", summary = "Download or preview a PDF through a signed link", description = "The "
            + "url of output-download or output-preview; no API key. Streamed, with `Range` support (`Accept-Ranges: "
            + "bytes`, `ETag` is the quoted sha256, `If-Range`). Not cached by shared caches. At most "
            + "`pressroom.downloads.max-concurrent-per-link` downloads of one link, `max-concurrent-per-project` of one "
            + "project's files and `max-concurrent` in all at once on each API pod (429 too_many_downloads, 503 "
            + "server_busy); a client that takes nothing for `stall-timeout` is cut off.")
    @APIResponse(responseCode = "200", description = "The PDF", headers = {
            @Header(name = "Content-Disposition", description = "attachment (output-download) or inline (output-preview), with the file name", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "ETag", description = "The quoted sha256 of the PDF", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Accept-Ranges", description = "bytes", schema = @Schema(type = SchemaType.STRING)) }, content = @Content(mediaType = "application/pdf", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "206", description = "The part of the PDF the Range header asked for", headers = @Header(name = "Content-Range", description = "bytes first-last/length", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = "application/pdf", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @ProblemExample(status = 403, code = "link_invalid", detail = "this link is not valid")
    @ProblemExample(status = 404, code = "output_gone", detail = "this output was deleted or expired")
    @ProblemExample(status = 410, code = "link_expired", detail = "this link has expired")
    @ProblemExample(status = 410, code = "link_revoked", detail = "this link was revoked")
    @ProblemExample(status = 416, code = "range_not_satisfiable", detail = "the range asked for lies beyond the 17446 bytes of the file")
    @APIResponse(responseCode = "429", description = "The link is already being downloaded "
            + "`max-concurrent-per-link` times at once; Retry-After says when to try again")
    @ProblemExample(status = 429, code = "too_many_downloads", detail = "this link is already being downloaded 4 times at once; retry when one has finished")
    @ProblemExample(status = 503, code = "server_busy", detail = "this API pod is serving 32 downloads at once; retry after 1 s")
    @ProblemExample(status = 503, code = "storage_unavailable", detail = "object storage is not available")
    public RestMulti<Buffer> download(
            @Parameter(description = "The signed token of the link", example = "MXxyb18wMW04NHFkYXpxbWc2NzJrbmhzZTh0eHQxM3xhdHRhY2htZW50fDE3OTU0NTg3MDI1NTk.fzbPWQx3uKX9RVcmOCKqhO7mpLN5LbKfRa-vlXkw5EA") @PathParam("token") String token,
            @Parameter(description = RANGE, example = "bytes=0-1023") @HeaderParam("Range") String range,
            @Parameter(description = IF_RANGE) @HeaderParam("If-Range") String ifRange) {
        DownloadLinks.Grant grant;
        try {
            grant = links.verify(token, Instant.now());
        } catch (DownloadLinks.Refused refused) {
            throw refused.reason() == DownloadLinks.Refusal.EXPIRED
                    ? new ApiProblem(410, "link_expired", "Gone", "this link has expired")
                    : new ApiProblem(403, "link_invalid", "Forbidden", "this link is not valid");
        }
        Runnable release = slots.take(token);
        return slots.send(outputs.open(grant, new Asked(range, ifRange))
                .onFailure().invoke(release)
                .onCancellation().invoke(release)
                .map(download -> download.onEnd(release)));
    }

    /**
     * The file, or the part of it asked for (206), streamed as the client reads; never cached by shared caches. A
     * failure before the first byte is a problem+json answer; after it, the connection is closed.
     */
    static RestMulti<Buffer> send(Uni<OutputService.Download> download) {
        return RestMulti.fromUniResponse(download, OutputService.Download::body, DownloadResource::headers,
                d -> d.slice().partial() ? 206 : 200);
    }

    private static Map<String, List<String>> headers(OutputService.Download download) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put(HttpHeaders.CONTENT_TYPE, List.of(download.contentType()));
        headers.put(HttpHeaders.CONTENT_LENGTH, List.of(Long.toString(download.slice().size())));
        // RESTEasy marks a streamed answer chunked before it adds these headers; the length is known, so no value
        // removes that header and the answer carries Content-Length alone
        headers.put("Transfer-Encoding", List.of());
        headers.put("Accept-Ranges", List.of("bytes"));
        if (download.etag() != null) {
            headers.put(HttpHeaders.ETAG, List.of(download.etag()));
        }
        if (download.slice().partial()) {
            headers.put("Content-Range", List.of(download.slice().contentRange()));
        }
        if (download.fileName() != null) {
            headers.put(HttpHeaders.CONTENT_DISPOSITION, List.of((download.inline() ? "inline" : "attachment")
                    + "; filename=\"" + download.fileName() + "\""));
        }
        headers.put(HttpHeaders.CACHE_CONTROL, List.of("private, no-store"));
        headers.put("X-Content-Type-Options", List.of("nosniff"));
        return headers;
    }
}
