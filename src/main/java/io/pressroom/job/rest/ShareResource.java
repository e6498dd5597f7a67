package io.pressroom.job.rest;

import java.time.Instant;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.pressroom.auth.Caller;
import io.pressroom.common.Page;
import io.pressroom.common.ProblemExample;
import io.pressroom.common.ResponseExample;
import io.pressroom.config.PressroomConfig;
import io.pressroom.job.repository.JobShare;
import io.pressroom.job.service.ShareLinks;
import io.smallrye.mutiny.Uni;

/** Revocable share links of a succeeded job's PDF. */
@Path("/v1/render-jobs/{jobId}/shares")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Render jobs")
public class ShareResource {

    private static final String JOB_ID = "The job's id (rj_…)";
    private static final String EXAMPLE_JOB = "rj_01m84qd3w1v9d3cawbnr7tarnw";

    /** The body of a new share link; without it, the link lives pressroom.downloads.default-expiry-seconds. */
    public record NewShare(
            @Schema(description = "Lifetime of the link in seconds, 1 to 604800; default pressroom.downloads.default-expiry-seconds (600)", minimum = "1", maximum = "604800") Integer expiresInSeconds) {
    }

    /** A share link; {@code url} only in the answer that creates it (it is a credential, not stored). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ShareView(String id, String url, long createdAt, long expiresAt, Long revokedAt) {
        static ShareView of(JobShare share, String url) {
            return new ShareView(share.id, url, share.createdAt.toEpochMilli(), share.expiresAt.toEpochMilli(),
                    share.revokedAt == null ? null : share.revokedAt.toEpochMilli());
        }
    }

    private final ShareLinks shares;
    private final Caller caller;
    private final PressroomConfig config;

    public ShareResource(ShareLinks shares, Caller caller, PressroomConfig config) {
        this.shares = shares;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Operation(operationId = "createShareLink", summary = "A revocable share link of a succeeded job's PDF", description = "The "
            + "url downloads the PDF (attachment) without an API key until expiresAt, unless the link is revoked "
            + "(DELETE …/shares/{shareId}); it is shown only in this answer. 409 job_not_succeeded for a job that did not "
            + "succeed.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "oneDay", value = """
            {"expiresInSeconds": 86400}""")))
    @APIResponse(responseCode = "201", description = "The share link; url is in this response only", content = @Content(schema = @Schema(implementation = ShareView.class)))
    @ResponseExample(status = 201, name = "share", summary = "A link for a day", value = """
            {
              "id": "shr_01m84qe0v7k2f5yq3n6w1d8c9a",
              "url": "https://pressroom.example.com/v1/downloads/M3xkZXZ8cm9fMDFtODRxZGF6cW1nNjcya25oc2U4dHh0MTN8YXR0YWNobWVudHwxNzk1NTQxNTAyNTU5fHNocl8wMW04NHFlMHY3azJmNXlxM242dzFkOGM5YQ.Xq0pKp8fJx3Lx6gq2rL0T9vZ1n3mM5wYy6Q7tH2cB4E",
              "createdAt": 1795455102559,
              "expiresAt": 1795541502559
            }""")
    @ProblemExample(status = 400, detail = "expiresInSeconds: must be between 1 and 604800")
    @ProblemExample(status = 404, code = "output_gone", detail = "the job's PDF was deleted or expired")
    @ProblemExample(status = 409, code = "job_not_succeeded", detail = "the job is failed; only a succeeded job's PDF can be shared")
    public Uni<Response> create(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId,
            NewShare request, @Context UriInfo uri) {
        int seconds = RenderJobResource.linkSeconds(request == null ? null : request.expiresInSeconds(), config);
        String base = RenderJobResource.linkBase(config, uri);
        return shares.mint(caller.projectId(), jobId, Instant.now().plusSeconds(seconds))
                .map(minted -> Response.status(201)
                        .entity(ShareView.of(minted.share(), base + "/v1/downloads/" + minted.token())).build());
    }

    @GET
    @Operation(operationId = "listShareLinks", summary = "The job's share links, oldest first", description = "Revoked "
            + "and expired ones too; their urls are not shown again.")
    @ResponseExample(status = 200, name = "shares", summary = "One live link, one revoked", value = """
            {
              "data": [
                {"id": "shr_01m84qe0v7k2f5yq3n6w1d8c9a", "createdAt": 1795455102559, "expiresAt": 1795541502559},
                {"id": "shr_01m84qe4q1x8h6t2r9b3m5n7kd", "createdAt": 1795455106012, "expiresAt": 1795541506012, "revokedAt": 1795455200417}
              ],
              "nextCursor": null
            }""")
    public Uni<Page<ShareView>> list(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId) {
        return shares.list(caller.projectId(), jobId)
                .map(rows -> new Page<>(rows.stream().map(share -> ShareView.of(share, null)).toList(), null));
    }

    @DELETE
    @Path("/{shareId}")
    @Operation(operationId = "revokeShareLink", summary = "Revoke a share link at once", description = "The link then "
            + "answers 410 link_revoked; the PDF and the job's other links stay. Revoking again changes nothing.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @ProblemExample(status = 404, code = "not_found", detail = "share shr_01m84qe0v7k2f5yq3n6w1d8c9a does not exist")
    public Uni<Response> revoke(@Parameter(description = JOB_ID, example = EXAMPLE_JOB) @PathParam("jobId") String jobId,
            @Parameter(description = "The share's id (shr_…)", example = "shr_01m84qe0v7k2f5yq3n6w1d8c9a") @PathParam("shareId") String shareId) {
        return shares.revoke(caller.projectId(), jobId, shareId).map(ignored -> Response.noContent().build());
    }
}
