package io.pressroom.deploy.rest;

import java.net.URI;
import java.util.Base64;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pressroom.auth.Caller;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.Cursors;
import io.pressroom.common.Page;
import io.pressroom.config.PressroomConfig;
import io.pressroom.deploy.repository.DeployVersion;
import io.pressroom.deploy.rest.DeployViews.DeployView;
import io.pressroom.deploy.rest.DeployViews.VersionView;
import io.pressroom.deploy.service.DeployService;
import io.pressroom.deploy.service.TemplateBundle;
import io.pressroom.deploy.service.ZipBundleReader;
import io.pressroom.deploy.service.ZipLimits;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/** Deploys (named templates) and their immutable versions. */
@Path("/v1/deploys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Deploys")
public class DeployResource {

    private static final String ZIP = "application/zip";
    private static final String SLUG = "[a-z0-9][a-z0-9-]{0,62}";
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    public record CreateDeploy(@NotBlank @Size(max = 200) String name,
            @Pattern(regexp = SLUG, message = "must be lower-case letters, digits and '-' (at most 63)") String slug) {
    }

    public record Asset(@NotBlank String path, @NotBlank String contentType, @NotNull String base64) {
    }

    public record PublishVersion(@NotNull String html, List<@Valid @NotNull Asset> assets) {
    }

    public record MoveLatest(@NotBlank String versionId) {
    }

    private final DeployService deploys;
    private final Caller caller;
    private final PressroomConfig config;
    private final ZipLimits zipLimits;

    public DeployResource(DeployService deploys, Caller caller, PressroomConfig config, ZipLimits zipLimits) {
        this.deploys = deploys;
        this.caller = caller;
        this.config = config;
        this.zipLimits = zipLimits;
    }

    @POST
    @Operation(summary = "Create a deploy (a named template)")
    public Uni<Response> create(@Valid @NotNull CreateDeploy request) {
        return deploys.create(caller.projectId(), request.name().strip(), request.slug())
                .map(deploy -> Response.created(URI.create("/v1/deploys/" + deploy.id))
                        .entity(DeployView.of(deploy)).build());
    }

    @GET
    @Operation(summary = "List deploys, newest first")
    public Uni<Page<DeployView>> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = Cursors.checkLimit(limit, 20, 100);
        return deploys.page(caller.projectId(), Cursors.decode(cursor), size + 1)
                .map(rows -> Page.of(rows, size, DeployView::of, deploy -> deploy.id));
    }

    @GET
    @Path("/{deployId}")
    @Operation(summary = "Get a deploy by id or slug")
    public Uni<DeployView> get(@PathParam("deployId") String deployId) {
        return deploys.find(caller.projectId(), deployId).map(DeployView::of);
    }

    @POST
    @Path("/{deployId}/versions")
    @Operation(summary = "Publish a new version", description = "The template must compile; the new version becomes latest.")
    public Uni<Response> publish(@PathParam("deployId") String deployId, @Valid @NotNull PublishVersion request) {
        TemplateBundle bundle = toBundle(request);
        return deploys.publish(caller.projectId(), deployId, bundle).map(DeployResource::created);
    }

    @POST
    @Path("/{deployId}/versions")
    @Consumes({ ZIP, "application/x-zip-compressed" })
    @Operation(summary = "Publish a new version from a zip bundle", description = "index.html at the zip's root, "
            + "assets beside it in folders; content types follow the file extensions. The new version becomes latest.")
    @RequestBody(content = @Content(mediaType = ZIP, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Uni<Response> publishZip(@PathParam("deployId") String deployId, byte[] zip) {
        String projectId = caller.projectId();
        ZipBundleReader.Limits limits = new ZipBundleReader.Limits(config.templates().maxBundleBytes(),
                config.templates().maxAssets(), zipLimits.maxEntries(), zipLimits.maxCompressionRatio(),
                zipLimits.ratioThresholdBytes());
        // inflating and hashing up to max-bundle-bytes is CPU work: keep it off the event loop
        return VertxContextSupport.executeBlocking(() -> ZipBundleReader.read(zip, limits))
                .chain(bundle -> deploys.publish(projectId, deployId, bundle))
                .map(DeployResource::created);
    }

    @PUT
    @Path("/{deployId}/latest")
    @Operation(summary = "Move latest to one of the deploy's versions (rollback)", description = "Jobs created afterwards with deployVersionId 'latest' use that version.")
    public Uni<DeployView> moveLatest(@PathParam("deployId") String deployId, @Valid @NotNull MoveLatest request) {
        return deploys.moveLatest(caller.projectId(), deployId, request.versionId()).map(DeployView::of);
    }

    @GET
    @Path("/{deployId}/versions")
    @Operation(summary = "List a deploy's versions, newest first")
    public Uni<Page<VersionView>> versions(@PathParam("deployId") String deployId, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        int size = Cursors.checkLimit(limit, 20, 100);
        Integer before = parseNumber(Cursors.decode(cursor));
        return deploys.versions(caller.projectId(), deployId, before, size + 1)
                .map(rows -> Page.of(rows, size, VersionView::of, version -> Integer.toString(version.number)));
    }

    @GET
    @Path("/{deployId}/versions/{versionId}")
    @Operation(summary = "Get a version by id, or the one 'latest' points at")
    public Uni<VersionView> version(@PathParam("deployId") String deployId, @PathParam("versionId") String versionId) {
        return deploys.version(caller.projectId(), deployId, versionId).map(VersionView::of);
    }

    private TemplateBundle toBundle(PublishVersion request) {
        var limits = config.templates();
        var builder = new TemplateBundle.Builder(limits.maxBundleBytes(), limits.maxAssets());
        builder.add("html", TemplateBundle.INDEX, "text/html; charset=utf-8",
                request.html().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<Asset> assets = request.assets() == null ? List.of() : request.assets();
        for (int i = 0; i < assets.size(); i++) {
            Asset asset = assets.get(i);
            String field = "assets[" + i + "]";
            byte[] content;
            try {
                // line breaks are tolerated (as in MIME); any other non-alphabet character is an error
                content = Base64.getDecoder().decode(WHITESPACE.matcher(asset.base64()).replaceAll(""));
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest(field + ".base64: is not valid base64");
            }
            builder.add(field, asset.path(), asset.contentType(), content);
        }
        return builder.build();
    }

    private static Response created(DeployVersion version) {
        return Response.created(URI.create("/v1/deploys/" + version.deployId + "/versions/" + version.id))
                .entity(VersionView.of(version)).build();
    }

    private static Integer parseNumber(String position) {
        if (position == null) {
            return null;
        }
        try {
            return Integer.valueOf(position);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("cursor: is not a cursor returned by this API");
        }
    }
}
