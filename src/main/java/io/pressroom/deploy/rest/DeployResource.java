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
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pressroom.auth.Caller;
import io.pressroom.bundle.TemplateBundle;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.Cursors;
import io.pressroom.common.Page;
import io.pressroom.config.PressroomConfig;
import io.pressroom.deploy.repository.DeployVersion;
import io.pressroom.deploy.rest.DeployViews.DeployView;
import io.pressroom.deploy.rest.DeployViews.VersionView;
import io.pressroom.deploy.service.DeployService;
import io.pressroom.deploy.service.ZipBundleReader;
import io.pressroom.deploy.service.ZipLimits;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Deploys (named templates) and their immutable versions. The OpenAPI examples of these operations are in
 * {@code META-INF/openapi.yaml}.
 */
@Path("/v1/deploys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Deploys", description = "Named Handlebars templates and their immutable versions")
public class DeployResource {

    /** The JSON and the zip variant of POST …/versions are one operation of the OpenAPI document. */
    private static final String PUBLISH = "Publish a new version (JSON or a zip bundle)";
    private static final String PUBLISH_DETAILS = "As JSON: the html and base64 assets. As application/zip: "
            + "index.html at the zip's root, assets beside it in folders, content types following the file "
            + "extensions. The template must compile; the new version becomes latest.";
    private static final String DEPLOY_ID = "The deploy's id (dpl_…) or its slug";

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
    @Operation(operationId = "createDeploy", summary = "Create a deploy (a named template)")
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", description = "The deploy's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = DeployView.class)))
    public Uni<Response> create(@Valid @NotNull CreateDeploy request) {
        return deploys.create(caller.projectId(), request.name().strip(), request.slug())
                .map(deploy -> Response.created(URI.create("/v1/deploys/" + deploy.id))
                        .entity(DeployView.of(deploy)).build());
    }

    @GET
    @Operation(operationId = "listDeploys", summary = "List deploys, newest first")
    public Uni<Page<DeployView>> list(
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") Integer limit,
            @Parameter(description = "The nextCursor of the previous page; absent for the first page") @QueryParam("cursor") String cursor) {
        int size = Cursors.checkLimit(limit, 20, 100);
        return deploys.page(caller.projectId(), Cursors.decode(cursor), size + 1)
                .map(rows -> Page.of(rows, size, DeployView::of, deploy -> deploy.id));
    }

    @GET
    @Path("/{deployId}")
    @Operation(operationId = "getDeploy", summary = "Get a deploy by id or slug")
    public Uni<DeployView> get(@Parameter(description = DEPLOY_ID) @PathParam("deployId") String deployId) {
        return deploys.find(caller.projectId(), deployId).map(DeployView::of);
    }

    @POST
    @Path("/{deployId}/versions")
    @Operation(operationId = "createDeployVersion", summary = PUBLISH, description = PUBLISH_DETAILS)
    @APIResponse(responseCode = "201", description = "Published", headers = @Header(name = "Location", description = "The version's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = VersionView.class)))
    public Uni<Response> publish(@Parameter(description = DEPLOY_ID) @PathParam("deployId") String deployId,
            @Valid @NotNull PublishVersion request) {
        TemplateBundle bundle = toBundle(request);
        return deploys.publish(caller.projectId(), deployId, bundle).map(DeployResource::created);
    }

    @POST
    @Path("/{deployId}/versions")
    @Consumes({ ZIP, "application/x-zip-compressed" })
    @Operation(summary = PUBLISH, description = PUBLISH_DETAILS)
    @RequestBody(content = @Content(mediaType = ZIP, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "201", description = "Published", headers = @Header(name = "Location", description = "The version's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = VersionView.class)))
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
    @Operation(operationId = "setDeployLatest", summary = "Move latest to one of the deploy's versions (rollback)", description = "Jobs created afterwards with deployVersionId 'latest' use that version.")
    public Uni<DeployView> moveLatest(@Parameter(description = DEPLOY_ID) @PathParam("deployId") String deployId,
            @Valid @NotNull MoveLatest request) {
        return deploys.moveLatest(caller.projectId(), deployId, request.versionId()).map(DeployView::of);
    }

    @GET
    @Path("/{deployId}/versions")
    @Operation(operationId = "listDeployVersions", summary = "List a deploy's versions, newest first")
    public Uni<Page<VersionView>> versions(@Parameter(description = DEPLOY_ID) @PathParam("deployId") String deployId,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") Integer limit,
            @Parameter(description = "The nextCursor of the previous page; absent for the first page") @QueryParam("cursor") String cursor) {
        int size = Cursors.checkLimit(limit, 20, 100);
        Integer before = parseNumber(Cursors.decode(cursor));
        return deploys.versions(caller.projectId(), deployId, before, size + 1)
                .map(rows -> Page.of(rows, size, VersionView::of, version -> Integer.toString(version.number)));
    }

    @GET
    @Path("/{deployId}/versions/{versionId}")
    @Operation(operationId = "getDeployVersion", summary = "Get a version by id, or the one 'latest' points at")
    public Uni<VersionView> version(@Parameter(description = DEPLOY_ID) @PathParam("deployId") String deployId,
            @Parameter(description = "A version id (dv_…) or latest") @PathParam("versionId") String versionId) {
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
