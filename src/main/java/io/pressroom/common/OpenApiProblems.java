package io.pressroom.common;

import static java.util.Map.entry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the errors of every endpoint in one place instead of on each method: the RFC 9457 {@code Problem}
 * schema and, per operation, 401 (key), 404 (path ids), 413 (bodies), 429 (project keys), 500, plus the problems
 * particular to it
 * ({@link #PARTICULAR}). Each error response has examples made by {@link Problem#of}, as the API sends them.
 */
public class OpenApiProblems implements OASFilter {

    private static final String PROBLEM = "#/components/schemas/Problem";

    /** Path parameters of the examples: the ids of the examples in META-INF/openapi.yaml. */
    private static final Map<String, String> EXAMPLE_IDS = Map.of(
            "jobId", "rj_01m84qd3w1v9d3cawbnr7tarnw",
            "deployId", "dpl_01m84qd2af2gfm2zn5zrf03dxc",
            "versionId", "dv_01m84qd2rn19krp5efh5x1vtm0",
            "projectId", "prj_01m84qd0ek5dykbvnd7ebsjn6k",
            "keyId", "key_01m84qd1tnx6y709mfsxsmtzqq",
            "webhookId", "wh_01m84qd5k2c7h1a9t3x6rz0b4e",
            "page", "2",
            "token",
            "MXxyb18wMW04NHFkYXpxbWc2NzJrbmhzZTh0eHQxM3xhdHRhY2htZW50fDE3OTU0NTg3MDI1NTk.fzbPWQx3uKX9RVcmOCKqhO7mpLN5LbKfRa-vlXkw5EA");

    /** What the generic 404 names, after the path's first id. */
    private static final Map<String, String> NOUNS = Map.of("jobId", "render job", "deployId", "deploy",
            "projectId", "project", "webhookId", "webhook");

    private static final ApiProblem STORAGE = ApiProblem.unavailable("storage_unavailable",
            "object storage is not available");

    /**
     * The problems one operation can answer beyond 401, the 404 of an unknown id, 413 and 500: its 400s, 409s,
     * other 404s and 503, with the details the code writes. An operation listing a {@code not_found} here gets no
     * generic one.
     */
    static final Map<String, List<ApiProblem>> PARTICULAR = Map.ofEntries(
            entry("createProject", List.of(ApiProblem.badRequest("name: must not be blank"))),
            entry("createApiKey", List.of(ApiProblem.badRequest("name: size must be between 0 and 200"))),
            entry("deleteApiKey", List.of(ApiProblem.notFound("key key_01m84qd1tnx6y709mfsxsmtzqq"))),
            entry("createDeploy", List.of(
                    ApiProblem.badRequest("slug: must be lower-case letters, digits and '-' (at most 63)"),
                    ApiProblem.conflict("slug_taken", "slug 'invoice' is already used by another deploy of this project"))),
            entry("listDeploys", List.of(ApiProblem.badRequest("limit: must be between 1 and 100"))),
            entry("createDeployVersion", List.of(
                    ApiProblem.badRequest("assets[0].base64: is not valid base64"),
                    new ApiProblem(400, "template_error", "Template does not compile",
                            "index.html: line 1, column 9: found: 'EOF', expected: '{{/'"),
                    ApiProblem.tooLarge("the bundle is larger than 10485760 bytes"), STORAGE)),
            entry("setDeployLatest", List.of(ApiProblem.badRequest("versionId: must not be blank"),
                    ApiProblem.notFound("deploy dpl_01m84qd2af2gfm2zn5zrf03dxc"),
                    ApiProblem.notFound("version dv_01m84qd2rn19krp5efh5x1vtm0 of this deploy"))),
            entry("listDeployVersions", List.of(ApiProblem.badRequest("cursor: is not a cursor returned by this API"))),
            entry("getDeployVersion", List.of(ApiProblem.notFound("deploy dpl_01m84qd2af2gfm2zn5zrf03dxc"),
                    ApiProblem.notFound("version dv_01m84qd2rn19krp5efh5x1vtm0"))),
            entry("createRenderJob", List.of(
                    ApiProblem.badRequest("deployId: give either deployId or html (an inline template), not both"),
                    new ApiProblem(400, "template_error", "Template does not compile",
                            "html: line 1, column 9: found: 'EOF', expected: '{{/'"),
                    ApiProblem.notFound("deploy dpl_01m84qd2af2gfm2zn5zrf03dxc"),
                    ApiProblem.conflict("idempotency_key_reused", "Idempotency-Key was already used with different parameters"),
                    ApiProblem.tooLarge("payload: is larger than 5242880 bytes"), STORAGE)),
            entry("listRenderJobs", List.of(ApiProblem.badRequest("status: must be one of queued, rendering, "
                    + "retry_scheduled, succeeded, failed, cancelled"))),
            entry("acknowledgeRenderJob", List.of(ApiProblem.badRequest("acknowledged: must not be null"))),
            entry("cancelRenderJob", List.of(ApiProblem.conflict("job_not_cancellable",
                    "the job is succeeded and can no longer be cancelled"))),
            entry("getRenderJobEvents",
                    List.of(ApiProblem.badRequest("Last-Event-ID: must be an event id from this stream"))),
            entry("getRenderJobReport", List.of(
                    new ApiProblem(404, "report_not_found", "Not found", "the job has no render report"),
                    notReady("its report is not available yet"), STORAGE)),
            entry("createOutputDownload", linkProblems()),
            entry("createOutputPreview", linkProblems()),
            entry("getRenderJobOutput", List.of(outputGone(), notReady("its output is not available yet"), STORAGE)),
            entry("getRenderJobOutputPage", List.of(
                    new ApiProblem(404, "preview_not_found", "Not found",
                            "no preview of page 2: the job has previews of pages 1 to 1"),
                    notReady("its output is not available yet"), STORAGE)),
            entry("deleteRenderJobOutput", List.of(outputGone(), notReady("its output is not available yet"))),
            entry("createWebhookEndpoint", List.of(ApiProblem.badRequest("url: must be an absolute http(s) URL"),
                    ApiProblem.badRequest("events[0]: must be one of job.succeeded, job.failed, job.cancelled"))),
            entry("downloadOutput", List.of(
                    new ApiProblem(403, "link_invalid", "Forbidden", "this link is not valid"),
                    new ApiProblem(404, "output_gone", "Not found", "this output was deleted or expired"),
                    new ApiProblem(410, "link_expired", "Gone", "this link has expired"), STORAGE)));

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "400", "Invalid request: the detail names the field",
            "401", "Missing, unknown or revoked API key",
            "403", "The link was tampered with",
            "404", "Not found, or another project's",
            "409", "Conflicts with the resource's current state",
            "410", "The link has expired",
            "413", "Body larger than the configured limit",
            "429", "Over the project's request rate limit; Retry-After says when to try again",
            "500", "Unexpected failure",
            "503", "A dependency (object storage) is not available; try again later");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getComponents().addSchema("Problem", OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem details; `code` is stable and documented")
                .addProperty("type", string("URI of the problem type"))
                .addProperty("title", string("Short summary"))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", string("What went wrong, naming the field when it is about the request"))
                .addProperty("code", string("Stable error code, e.g. invalid_request, not_found, unauthorized"))
                .addProperty("instance", string("The request path")));
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            String instance = instance(path.getKey());
            for (Operation operation : path.getValue().getOperations().values()) {
                List<ApiProblem> particular = PARTICULAR.getOrDefault(operation.getOperationId(), List.of());
                List<ApiProblem> problems = common(path.getKey(), operation, particular);
                problems.addAll(particular);
                for (ApiProblem problem : problems) {
                    document(operation.getResponses(), problem, instance);
                }
            }
        }
    }

    /** 401, the 404 of an unknown path id, 413 for bodies, 500: what every operation of its kind can answer. */
    private static List<ApiProblem> common(String path, Operation operation, List<ApiProblem> particular) {
        List<ApiProblem> problems = new ArrayList<>();
        if (path.startsWith("/v1/projects")) {
            problems.add(ApiProblem.unauthorized("this endpoint needs the admin key"));
        } else if (!path.startsWith("/v1/downloads")) {
            problems.add(ApiProblem.unauthorized("missing API key: send Authorization: Bearer <key>"));
            problems.add(ApiProblem.rateLimited("this project made more than 50 requests per second (bursts up to "
                    + "200); retry after 1 s"));
        }
        String firstId = path.contains("{") ? path.substring(path.indexOf('{') + 1, path.indexOf('}')) : null;
        if (firstId != null && NOUNS.containsKey(firstId) && particular.stream().noneMatch(p -> p.code().equals("not_found"))) {
            problems.add(ApiProblem.notFound(NOUNS.get(firstId) + " " + EXAMPLE_IDS.get(firstId)));
        }
        if (operation.getRequestBody() != null) {
            problems.add(ApiProblem.tooLarge("the request body is larger than 20971520 bytes"));
        }
        problems.add(new ApiProblem(500, "internal_error", "Internal error", "the request failed unexpectedly"));
        return problems;
    }

    /** Adds {@code problem} as an example of its status, creating the response when the operation has none. */
    private static void document(APIResponses responses, ApiProblem problem, String instance) {
        String status = Integer.toString(problem.status());
        APIResponse response = responses.getAPIResponse(status);
        if (response == null || response.getContent() == null
                || response.getContent().getMediaType(Problem.MEDIA_TYPE) == null) {
            // absent, or the bare "Bad Request" SmallRye adds for validated bodies
            response = OASFactory.createAPIResponse().description(DESCRIPTIONS.get(status))
                    .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                            OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM))));
            responses.addAPIResponse(status, response);
        }
        Problem body = Problem.of(problem, instance);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("type", body.type());
        value.put("title", body.title());
        value.put("status", body.status());
        value.put("detail", body.detail());
        value.put("code", body.code());
        value.put("instance", body.instance());
        response.getContent().getMediaType(Problem.MEDIA_TYPE)
                .addExample(exampleName(response, body.code()), OASFactory.createExample().value(value));
    }

    /** The problem's code; a second example with the same code (e.g. two 400 invalid_request) gets a number. */
    private static String exampleName(APIResponse response, String code) {
        var examples = response.getContent().getMediaType(Problem.MEDIA_TYPE).getExamples();
        if (examples == null || !examples.containsKey(code)) {
            return code;
        }
        int n = 2;
        while (examples.containsKey(code + "_" + n)) {
            n++;
        }
        return code + "_" + n;
    }

    /** The path with the examples' ids in place of its parameters: what {@code instance} shows. */
    private static String instance(String path) {
        String instance = path;
        for (Map.Entry<String, String> id : EXAMPLE_IDS.entrySet()) {
            instance = instance.replace("{" + id.getKey() + "}", id.getValue());
        }
        return instance;
    }

    private static ApiProblem notReady(String what) {
        return ApiProblem.conflict("output_not_ready", "the job is rendering; " + what);
    }

    private static ApiProblem outputGone() {
        return new ApiProblem(404, "output_gone", "Not found", "the output was deleted");
    }

    private static List<ApiProblem> linkProblems() {
        return List.of(new ApiProblem(404, "output_not_found", "Not found", "the job has no output (it failed)"),
                outputGone(), notReady("its output is not available yet"),
                ApiProblem.badRequest("expiresInSeconds: must be between 1 and 604800"));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }
}
