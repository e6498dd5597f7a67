package io.pressroom.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Adds the examples written on the resource methods to the OpenAPI document SmallRye made from the same methods, so
 * an endpoint's description, examples and errors stay together on its method and only the wiring lives here:
 * <ul>
 * <li>each {@link ResponseExample} goes to its response;</li>
 * <li>each {@link ProblemExample}, and the problems every operation of its kind can answer (401 for the key, 429 for
 * project keys, the 404 of its first path id, 413 for bodies, 500), become problem+json examples made by
 * {@link Problem#of} as the API sends them, under responses whose schema is {@link Problem}. The {@code instance}
 * of each is the path with its parameters' examples ({@code @Parameter(example = …)}) in their place.</li>
 * </ul>
 * It runs at build time, where SmallRye hands it the application's index, so the document written to
 * {@code target/openapi} is the one served.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiExamples implements OASFilter {

    private static final String PROBLEM = "#/components/schemas/Problem";
    private static final DotName OPERATION = DotName
            .createSimple(org.eclipse.microprofile.openapi.annotations.Operation.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the generic 404 names, after the path's first id. */
    private static final Map<String, String> NOUNS = Map.of("jobId", "render job", "deployId", "deploy",
            "projectId", "project", "webhookId", "webhook");

    private static final Map<Integer, String> CODES = Map.of(400, "invalid_request", 401, "unauthorized", 404,
            "not_found", 413, "payload_too_large", 429, "rate_limited", 500, "internal_error");

    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("400", "Invalid request: the detail names the field"),
            Map.entry("401", "Missing, unknown or revoked API key"),
            Map.entry("402", "Over the project's monthly page quota: quota, used and resetsAt say by how much and until when"),
            Map.entry("403", "The link was tampered with"),
            Map.entry("404", "Not found, or another project's"),
            Map.entry("409", "Conflicts with the resource's current state"),
            Map.entry("410", "The link has expired"),
            Map.entry("413", "Body larger than the configured limit"),
            Map.entry("416", "The Range lies beyond the end of the file; Content-Range says its length"),
            Map.entry("422", "The render failed; errorCode says why"),
            Map.entry("429", "Over the project's request rate limit; Retry-After says when to try again"),
            Map.entry("500", "Unexpected failure"),
            Map.entry("503", "A dependency (the database or object storage) is not available; Retry-After says when "
                    + "to try again"),
            Map.entry("504", "The render did not end in time; it was cancelled"));

    private record Example(int status, String mediaType, String name, String summary, Object value) {
    }

    /** operationId → what its method (or methods, when two share an operation) has written. */
    private final Map<String, List<Example>> responses = new HashMap<>();
    private final Map<String, List<ApiProblem>> problems = new HashMap<>();

    /** SmallRye passes the application's index to a filter with this constructor. */
    public OpenApiExamples(IndexView index) {
        forEach(index, ResponseExample.class, ResponseExample.List.class,
                (method, example) -> responses.computeIfAbsent(operationId(method), id -> new ArrayList<>())
                        .add(response(method, example)));
        forEach(index, ProblemExample.class, ProblemExample.List.class, (method, example) -> {
            List<ApiProblem> own = problems.computeIfAbsent(operationId(method), id -> new ArrayList<>());
            ApiProblem problem = problem(method, example);
            // the two methods of one operation may repeat a problem
            if (own.stream().noneMatch(known -> known.status() == problem.status()
                    && known.code().equals(problem.code()) && known.detail().equals(problem.detail()))) {
                own.add(problem);
            }
        });
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Operation operation : path.getValue().getOperations().values()) {
                for (Example example : responses.getOrDefault(operation.getOperationId(), List.of())) {
                    add(operation, example);
                }
                List<ApiProblem> own = problems.getOrDefault(operation.getOperationId(), List.of());
                List<ApiProblem> answers = common(path.getKey(), operation, own);
                answers.addAll(own);
                String instance = instance(path.getKey(), operation);
                for (ApiProblem problem : answers) {
                    document(operation.getResponses(), problem, instance);
                }
            }
        }
    }

    /** Each annotation of the type, alone or repeated, with its method. */
    private static void forEach(IndexView index, Class<?> type, Class<?> container,
            BiConsumer<MethodInfo, AnnotationInstance> action) {
        index.getAnnotations(type).forEach(annotation -> action.accept(annotation.target().asMethod(), annotation));
        // repeated ones are the value of their container, which alone knows the method
        index.getAnnotations(container).forEach(list -> {
            for (AnnotationInstance annotation : list.value().asNestedArray()) {
                action.accept(list.target().asMethod(), annotation);
            }
        });
    }

    private static String operationId(MethodInfo method) {
        AnnotationInstance operation = method.annotation(OPERATION);
        if (operation == null || operation.value("operationId") == null) {
            throw new IllegalStateException(where(method) + " has examples but no @Operation(operationId = …)");
        }
        return operation.value("operationId").asString();
    }

    private static Example response(MethodInfo method, AnnotationInstance example) {
        String mediaType = string(example, "mediaType", "application/json");
        String text = example.value("value").asString();
        Object value = text;
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            try {
                value = JSON.readValue(text, Object.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the example '" + example.value("name").asString() + "' of "
                        + where(method) + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
        return new Example(example.value("status").asInt(), mediaType, example.value("name").asString(),
                string(example, "summary", null), value);
    }

    private static ApiProblem problem(MethodInfo method, AnnotationInstance example) {
        int status = example.value("status").asInt();
        String code = string(example, "code", CODES.get(status));
        String title = string(example, "title", ApiProblem.titleOf(status));
        if (code == null || title == null) {
            throw new IllegalStateException("@ProblemExample(status = " + status + ") on " + where(method)
                    + " needs a code and a title");
        }
        ApiProblem problem = new ApiProblem(status, code, title, example.value("detail").asString());
        AnnotationValue violations = example.value("violations");
        if (violations != null) {
            List<Violation> listed = new ArrayList<>();
            for (String violation : violations.asStringArray()) {
                int colon = violation.indexOf(": ");
                listed.add(new Violation(violation.substring(0, colon), violation.substring(colon + 2)));
            }
            problem.withViolations(listed);
        }
        return problem;
    }

    private static String string(AnnotationInstance annotation, String name, String otherwise) {
        AnnotationValue value = annotation.value(name);
        return value == null || value.asString().isEmpty() ? otherwise : value.asString();
    }

    private static String where(MethodInfo method) {
        return method.declaringClass().simpleName() + "." + method.name();
    }

    /** Adds a success example to the response and media type SmallRye made; there must be one. */
    private static void add(Operation operation, Example example) {
        APIResponse response = operation.getResponses().getAPIResponse(Integer.toString(example.status()));
        MediaType media = response == null || response.getContent() == null ? null
                : response.getContent().getMediaType(example.mediaType());
        if (media == null) {
            throw new IllegalStateException("the example '" + example.name() + "' of " + operation.getOperationId()
                    + " is for a " + example.status() + " " + example.mediaType() + " response it does not have");
        }
        media.addExample(example.name(),
                OASFactory.createExample().summary(example.summary()).value(example.value()));
    }

    /**
     * 401, 429, 503 while the database is away, the 404 of an unknown path id, 413 for bodies, 500: what every
     * operation of its kind can answer.
     */
    private static List<ApiProblem> common(String path, Operation operation, List<ApiProblem> own) {
        List<ApiProblem> problems = new ArrayList<>();
        if (!path.startsWith("/v1/downloads")) {
            // every authenticated route: an address with too many failed authentications is refused first
            problems.add(ApiProblem.tooMany("too_many_auth_failures",
                    "too many failed authentications from this address; retry after 20 s", 20));
        }
        if (path.startsWith("/v1/projects")) {
            problems.add(ApiProblem.unauthorized("this endpoint needs the admin key"));
        } else if (!path.startsWith("/v1/downloads")) {
            problems.add(ApiProblem.unauthorized("missing API key: send Authorization: Bearer <key>"));
            problems.add(ApiProblem.rateLimited("this project made more than 50 requests per second (bursts up to "
                    + "200); retry after 1 s"));
            // the key check reads PostgreSQL: while it is away, every such request answers this within seconds
            problems.add(ProblemMapper.toProblem(Transient.unavailable("the database did not answer within 4000 ms")));
        }
        String firstId = path.contains("{") ? path.substring(path.indexOf('{') + 1, path.indexOf('}')) : null;
        if (firstId != null && NOUNS.containsKey(firstId)
                && own.stream().noneMatch(problem -> problem.code().equals("not_found"))) {
            problems.add(ApiProblem.notFound(NOUNS.get(firstId) + " " + example(operation, firstId)));
        }
        if (operation.getRequestBody() != null) {
            problems.add(ApiProblem.tooLarge("the request body is larger than 20971520 bytes"));
            problems.add(ApiProblem.serverBusy("the server holds as many request bodies as its memory allows"));
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

    /** The path with its parameters' examples in their place: what {@code instance} shows. */
    private static String instance(String path, Operation operation) {
        String instance = path;
        for (Parameter parameter : operation.getParameters() == null ? List.<Parameter> of()
                : operation.getParameters()) {
            if (parameter.getIn() == Parameter.In.PATH && parameter.getExample() != null) {
                instance = instance.replace("{" + parameter.getName() + "}", parameter.getExample().toString());
            }
        }
        return instance;
    }

    /** The example value of the path parameter {@code name}, as its {@code @Parameter} gives it. */
    private static String example(Operation operation, String name) {
        return operation.getParameters().stream()
                .filter(parameter -> parameter.getIn() == Parameter.In.PATH && name.equals(parameter.getName()))
                .map(parameter -> String.valueOf(parameter.getExample())).findFirst()
                .orElseThrow(() -> new IllegalStateException(operation.getOperationId() + " has no path parameter "
                        + name));
    }
}
