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
import jakarta.ws.rs.DefaultValue;
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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.pressroom.auth.Caller;
import io.pressroom.bundle.TemplateBundle;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.Cursors;
import io.pressroom.common.Page;
import io.pressroom.common.ProblemExample;
import io.pressroom.common.ResponseExample;
import io.pressroom.config.PressroomConfig;
import io.pressroom.deploy.repository.DeployVersion;
import io.pressroom.deploy.rest.DeployViews.DeployView;
import io.pressroom.deploy.rest.DeployViews.VerificationView;
import io.pressroom.deploy.rest.DeployViews.VersionView;
import io.pressroom.deploy.service.DeployService;
import io.pressroom.deploy.service.PayloadContracts;
import io.pressroom.deploy.service.VersionVerifier;
import io.pressroom.deploy.service.ZipBundleReader;
import io.pressroom.deploy.service.ZipLimits;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/** Deploys (named templates) and their immutable versions. */
@Path("/v1/deploys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Deploys", description = "Named Handlebars templates and their immutable versions")
public class DeployResource {

    /** The JSON and the zip variant of POST …/versions are one operation of the OpenAPI document. */
    private static final String PUBLISH = "Publish a new version (JSON or a zip bundle)";
    private static final String PUBLISH_DETAILS = "As JSON: the html and base64 assets. As application/zip: "
            + "index.html at the zip's root, assets beside it in folders, content types following the file "
            + "extensions. The template must compile; the new version becomes latest. A data contract is optional: "
            + "schema (JSON Schema 2020-12) and samplePayload, or schema.json and sample.json at the zip's root; "
            + "jobs for the version must then send a payload that matches (400 payload_invalid). With verify=true "
            + "(the release gate) latest does not move: the answer's verification names a test job that renders the "
            + "sample payload (required then: 400 sample_payload_required) with the new version and with the version "
            + "latest points at, and compares them page by page; read its diff, then move latest with PUT …/latest.";
    private static final String VERIFY = "The release gate: keep latest where it is, render samplePayload with this version "
            + "and with latest's, and report the page-by-page diff on the job named in verification";
    private static final String DEPLOY_ID = "The deploy's id (dpl_…) or its slug";
    private static final String EXAMPLE_DEPLOY = "dpl_01m84qd2af2gfm2zn5zrf03dxc";

    private static final String ZIP = "application/zip";
    private static final String SLUG = "[a-z0-9][a-z0-9-]{0,62}";
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    public record CreateDeploy(@NotBlank @Size(max = 200) String name,
            @Pattern(regexp = SLUG, message = "must be lower-case letters, digits and '-' (at most 63)") String slug) {
    }

    public record Asset(@NotBlank String path, @NotBlank String contentType, @NotNull String base64) {
    }

    public record PublishVersion(@NotNull String html, List<@Valid @NotNull Asset> assets,
            @Schema(type = SchemaType.OBJECT, nullable = true, description = "JSON Schema (draft 2020-12) every job payload for this version must match; stored as the bundle's schema.json. $ref only within the schema itself") JsonNode schema,
            @Schema(type = SchemaType.OBJECT, nullable = true, description = "A payload that matches schema; stored as the bundle's sample.json") JsonNode samplePayload) {
    }

    public record MoveLatest(@NotBlank String versionId) {
    }

    private final DeployService deploys;
    private final Caller caller;
    private final PressroomConfig config;
    private final ZipLimits zipLimits;

    private final VersionVerifier verifier;

    public DeployResource(DeployService deploys, Caller caller, PressroomConfig config, ZipLimits zipLimits,
            VersionVerifier verifier) {
        this.deploys = deploys;
        this.verifier = verifier;
        this.caller = caller;
        this.config = config;
        this.zipLimits = zipLimits;
    }

    @POST
    @Operation(operationId = "createDeploy", summary = "Create a deploy (a named template)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "withSlug", value = """
            {"name": "Invoice", "slug": "invoice"}""")))
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", description = "The deploy's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = DeployView.class)))
    @ResponseExample(status = 201, name = "created", summary = "A new deploy has no version yet", value = """
            {
              "id": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
              "name": "Invoice",
              "slug": "invoice",
              "latestVersionId": null,
              "versionCount": 0,
              "createdAt": 1795455093071,
              "updatedAt": 1795455093071
            }""")
    @ProblemExample(status = 400, detail = "slug: must be lower-case letters, digits and '-' (at most 63)")
    @ProblemExample(status = 409, code = "slug_taken", detail = "slug 'invoice' is already used by another deploy of this project")
    public Uni<Response> create(@Valid @NotNull CreateDeploy request) {
        return deploys.create(caller.projectId(), request.name().strip(), request.slug())
                .map(deploy -> Response.created(URI.create("/v1/deploys/" + deploy.id))
                        .entity(DeployView.of(deploy)).build());
    }

    @GET
    @Operation(operationId = "listDeploys", summary = "List deploys, newest first")
    @ResponseExample(status = 200, name = "lastPage", summary = "The last page has no nextCursor", value = """
            {
              "data": [
                {
                  "id": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                  "name": "Invoice",
                  "slug": "invoice",
                  "latestVersionId": "dv_01m84qd34n8w1a25m0jxwrxm1c",
                  "versionCount": 2,
                  "createdAt": 1795455093071,
                  "updatedAt": 1795455093959
                }
              ],
              "nextCursor": null
            }""")
    @ProblemExample(status = 400, detail = "limit: must be between 1 and 100")
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
    @ResponseExample(status = 200, name = "deploy", summary = "The deploy after its second version", value = """
            {
              "id": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
              "name": "Invoice",
              "slug": "invoice",
              "latestVersionId": "dv_01m84qd34n8w1a25m0jxwrxm1c",
              "versionCount": 2,
              "createdAt": 1795455093071,
              "updatedAt": 1795455093959
            }""")
    public Uni<DeployView> get(
            @Parameter(description = DEPLOY_ID, example = EXAMPLE_DEPLOY) @PathParam("deployId") String deployId) {
        return deploys.find(caller.projectId(), deployId).map(DeployView::of);
    }

    @POST
    @Path("/{deployId}/versions")
    @Operation(operationId = "createDeployVersion", summary = PUBLISH, description = PUBLISH_DETAILS)
    @RequestBody(content = @Content(examples = @ExampleObject(name = "htmlWithAsset", summary = "The template and one stylesheet (base64)", value = """
            {
              "html": "<html><head><link rel=\\"stylesheet\\" href=\\"css/invoice.css\\"></head><body><h1>Invoice for {{customer}}</h1><ul>{{#each items}}<li>{{this}}</li>{{/each}}</ul><p>Total: {{total}}</p></body></html>",
              "assets": [{"path": "css/invoice.css", "contentType": "text/css", "base64": "aDEgeyBjb2xvcjogIzMzMzsgfQ=="}]
            }""")))
    @APIResponse(responseCode = "201", description = "Published", headers = @Header(name = "Location", description = "The version's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = VersionView.class)))
    @ResponseExample(status = 201, name = "published", summary = "The version published from the JSON example", value = """
            {
              "id": "dv_01m84qd2rn19krp5efh5x1vtm0",
              "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
              "number": 1,
              "sha256": "db2f4707129c35377b88390163b385e662b711c38a842c0afd8a9f3dbd175d2f",
              "bytes": 210,
              "createdAt": 1795455093786,
              "files": [
                {
                  "path": "css/invoice.css",
                  "contentType": "text/css",
                  "bytes": 19,
                  "sha256": "4965a3934330768dbc4c3b4d55d16568477d200534633f9d10cd4cadff6f8ded"
                },
                {
                  "path": "index.html",
                  "contentType": "text/html; charset=utf-8",
                  "bytes": 191,
                  "sha256": "2499d2349d93f67bc763d82e42b763837cc4fe7941ab0c382030a23a416c3f86"
                }
              ]
            }""")
    @ProblemExample(status = 400, detail = "assets[0].base64: is not valid base64")
    @ProblemExample(status = 400, code = "template_error", detail = "index.html: line 1, column 9: found: 'EOF', expected: '{{/'")
    @ProblemExample(status = 400, detail = "schema: is not a valid JSON Schema (draft 2020-12): /type does not have a value in the enumeration [\"array\", \"boolean\", \"integer\", \"null\", \"number\", \"object\", \"string\"]")
    @ProblemExample(status = 400, code = "payload_invalid", detail = "samplePayload: does not match the version's schema in 1 place: /customer/name required property 'name' not found", violations = "/customer/name: required property 'name' not found")
    @ProblemExample(status = 413, detail = "the bundle is larger than 10485760 bytes")
    @ProblemExample(status = 503, code = "storage_unavailable", detail = "object storage is not available")
    @ProblemExample(status = 400, code = "sample_payload_required", detail = "samplePayload: verify=true renders the version with its sample payload: give samplePayload (sample.json in a zip), a JSON object")
    @ResponseExample(status = 201, name = "verifying", summary = "With verify=true: latest has not moved; the job's diff is the report", value = """
            {
              "id": "dv_01m84qd34n8w1a25m0jxwrxm1c",
              "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
              "number": 2,
              "sha256": "88924db21f838aa402cb8f123b6c3e859feb53a080b0cb7dafc3d237d184e9ca",
              "bytes": 254,
              "createdAt": 1795455093959,
              "files": [],
              "schema": null,
              "samplePayload": {"customer": "Acme Corp", "total": 42.99},
              "verification": {
                "status": "pending",
                "baselineVersionId": "dv_01m84qd2rn19krp5efh5x1vtm0",
                "jobId": "rj_01m84qd3w1v9d3cawbnr7tarnw",
                "job": "/v1/render-jobs/rj_01m84qd3w1v9d3cawbnr7tarnw"
              }
            }""")
    public Uni<Response> publish(
            @Parameter(description = DEPLOY_ID, example = EXAMPLE_DEPLOY) @PathParam("deployId") String deployId,
            @Parameter(description = VERIFY, schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) @QueryParam("verify") @DefaultValue("false") Boolean verify,
            @Valid @NotNull PublishVersion request) {
        TemplateBundle bundle = toBundle(request);
        return published(caller.projectId(),
                deploys.publish(caller.projectId(), deployId, bundle, PayloadContracts.Fields.JSON, verify), verify);
    }

    /** The 201 of a publish; with verify, once the gate's job is created. */
    private Uni<Response> published(String projectId, Uni<DeployService.Published> publishing, boolean verify) {
        return publishing.chain(published -> {
            if (!verify) {
                return Uni.createFrom().item(created(published.version(), null));
            }
            return verifier.verify(projectId, published.version(), published.latestVersionId())
                    .map(verification -> created(published.version(), VerificationView.of(verification)));
        });
    }

    /** The zip variant of {@link #publish}: one operation, whose id, examples and problems are written there. */
    @POST
    @Path("/{deployId}/versions")
    @Consumes({ ZIP, "application/x-zip-compressed" })
    @Operation(summary = PUBLISH, description = PUBLISH_DETAILS)
    @RequestBody(content = @Content(mediaType = ZIP, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "201", description = "Published", headers = @Header(name = "Location", description = "The version's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = VersionView.class)))
    public Uni<Response> publishZip(@PathParam("deployId") String deployId,
            @Parameter(description = VERIFY, schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) @QueryParam("verify") @DefaultValue("false") Boolean verify,
            byte[] zip) {
        String projectId = caller.projectId();
        ZipBundleReader.Limits limits = new ZipBundleReader.Limits(config.templates().maxBundleBytes(),
                config.templates().maxAssets(), zipLimits.maxEntries(), zipLimits.maxCompressionRatio(),
                zipLimits.ratioThresholdBytes());
        // inflating and hashing up to max-bundle-bytes is CPU work: keep it off the event loop
        return VertxContextSupport.executeBlocking(() -> ZipBundleReader.read(zip, limits))
                .chain(bundle -> published(projectId,
                        deploys.publish(projectId, deployId, bundle, PayloadContracts.Fields.ZIP, verify), verify));
    }

    @PUT
    @Path("/{deployId}/latest")
    @Operation(operationId = "setDeployLatest", summary = "Move latest to one of the deploy's versions (rollback)", description = "Jobs created afterwards with deployVersionId 'latest' use that version.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "rollback", summary = "Back to version 1", value = """
            {"versionId": "dv_01m84qd2rn19krp5efh5x1vtm0"}""")))
    @ResponseExample(status = 200, name = "rolledBack", value = """
            {
              "id": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
              "name": "Invoice",
              "slug": "invoice",
              "latestVersionId": "dv_01m84qd2rn19krp5efh5x1vtm0",
              "versionCount": 2,
              "createdAt": 1795455093071,
              "updatedAt": 1795455094441
            }""")
    @ProblemExample(status = 400, detail = "versionId: must not be blank")
    @ProblemExample(status = 404, detail = "deploy dpl_01m84qd2af2gfm2zn5zrf03dxc does not exist")
    @ProblemExample(status = 404, detail = "version dv_01m84qd2rn19krp5efh5x1vtm0 of this deploy does not exist")
    public Uni<DeployView> moveLatest(
            @Parameter(description = DEPLOY_ID, example = EXAMPLE_DEPLOY) @PathParam("deployId") String deployId,
            @Valid @NotNull MoveLatest request) {
        return deploys.moveLatest(caller.projectId(), deployId, request.versionId()).map(DeployView::of);
    }

    @GET
    @Path("/{deployId}/versions")
    @Operation(operationId = "listDeployVersions", summary = "List a deploy's versions, newest first")
    @ResponseExample(status = 200, name = "firstPage", summary = "limit=1: pass nextCursor as cursor for the next page", value = """
            {
              "data": [
                {
                  "id": "dv_01m84qd34n8w1a25m0jxwrxm1c",
                  "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
                  "number": 2,
                  "sha256": "88924db21f838aa402cb8f123b6c3e859feb53a080b0cb7dafc3d237d184e9ca",
                  "bytes": 254,
                  "createdAt": 1795455093959,
                  "files": [
                    {
                      "path": "css/invoice.css",
                      "contentType": "text/css",
                      "bytes": 19,
                      "sha256": "4965a3934330768dbc4c3b4d55d16568477d200534633f9d10cd4cadff6f8ded"
                    },
                    {
                      "path": "index.html",
                      "contentType": "text/html; charset=utf-8",
                      "bytes": 235,
                      "sha256": "ffb48df8f15b3ca1aeb0469200cc59a62acd90e868bc1a8460e430e15b57aa8d"
                    }
                  ]
                }
              ],
              "nextCursor": "Mg"
            }""")
    @ProblemExample(status = 400, detail = "cursor: is not a cursor returned by this API")
    public Uni<Page<VersionView>> versions(
            @Parameter(description = DEPLOY_ID, example = EXAMPLE_DEPLOY) @PathParam("deployId") String deployId,
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
    @ResponseExample(status = 200, name = "latest", summary = "Version 2, published as a zip", value = """
            {
              "id": "dv_01m84qd34n8w1a25m0jxwrxm1c",
              "deployId": "dpl_01m84qd2af2gfm2zn5zrf03dxc",
              "number": 2,
              "sha256": "88924db21f838aa402cb8f123b6c3e859feb53a080b0cb7dafc3d237d184e9ca",
              "bytes": 254,
              "createdAt": 1795455093959,
              "files": [
                {
                  "path": "css/invoice.css",
                  "contentType": "text/css",
                  "bytes": 19,
                  "sha256": "4965a3934330768dbc4c3b4d55d16568477d200534633f9d10cd4cadff6f8ded"
                },
                {
                  "path": "index.html",
                  "contentType": "text/html; charset=utf-8",
                  "bytes": 235,
                  "sha256": "ffb48df8f15b3ca1aeb0469200cc59a62acd90e868bc1a8460e430e15b57aa8d"
                }
              ]
            }""")
    @ProblemExample(status = 404, detail = "deploy dpl_01m84qd2af2gfm2zn5zrf03dxc does not exist")
    @ProblemExample(status = 404, detail = "version dv_01m84qd2rn19krp5efh5x1vtm0 does not exist")
    public Uni<VersionView> version(
            @Parameter(description = DEPLOY_ID, example = EXAMPLE_DEPLOY) @PathParam("deployId") String deployId,
            @Parameter(description = "A version id (dv_…) or latest", example = "dv_01m84qd2rn19krp5efh5x1vtm0") @PathParam("versionId") String versionId) {
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
        addJson(builder, "schema", PayloadContracts.SCHEMA_FILE, request.schema());
        addJson(builder, "samplePayload", PayloadContracts.SAMPLE_FILE, request.samplePayload());
        return builder.build();
    }

    /** The contract travels in the bundle, as in a zip: the same files give the same sha256 either way. */
    private static void addJson(TemplateBundle.Builder builder, String field, String path, JsonNode value) {
        if (value != null && !value.isNull()) {
            builder.add(field, path, ZipBundleReader.contentType(path),
                    value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static Response created(DeployVersion version, VerificationView verification) {
        return Response.created(URI.create("/v1/deploys/" + version.deployId + "/versions/" + version.id))
                .entity(VersionView.of(version, verification)).build();
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
