package io.pressroom.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.contract.ErrorCode;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The served OpenAPI document is complete: every operation has an explicit, client-friendly id, a summary and typed,
 * described parameters (path ones with an example), every request body and success response an example (binary ones
 * aside), every error response a problem+json example; the job's errorCode lists the codes of {@link ErrorCode}. A new
 * endpoint without examples on its resource method fails here (an example for a status the method does not answer
 * already fails the build, in {@link OpenApiExamples}).
 */
@QuarkusTest
class OpenApiDocumentTest {

    private JsonNode document;

    /** Read in each test, not in a {@code @BeforeAll}: RestAssured has this application's port only then. */
    @BeforeEach
    void read() throws Exception {
        document = new ObjectMapper().readTree(given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString());
    }

    @Test
    void everyOperationIsDescribedWithExamples() {
        List<String> missing = new ArrayList<>();
        operations().forEach((name, operation) -> {
            if (operation.path("summary").asText().isBlank()) {
                missing.add(name + ": no summary");
            }
            operation.path("parameters").forEach(parameter -> {
                if (parameter.path("description").asText().isBlank()) {
                    missing.add(name + ": parameter " + parameter.path("name").asText() + " has no description");
                }
                if (!parameter.path("schema").has("type")) {
                    missing.add(name + ": parameter " + parameter.path("name").asText() + " has no type");
                }
                // the problems' instance and the 404 of an unknown id show it
                if (parameter.path("in").asText().equals("path") && !parameter.has("example")) {
                    missing.add(name + ": path parameter " + parameter.path("name").asText() + " has no example");
                }
            });
            operation.path("requestBody").path("content").fields().forEachRemaining(
                    media -> checkExamples(name + " request " + media.getKey(), media.getValue(), missing));
            operation.path("responses").fields().forEachRemaining(response -> {
                String where = name + " " + response.getKey();
                if (response.getValue().path("description").asText().isBlank()) {
                    missing.add(where + ": no description");
                }
                if (response.getKey().startsWith("2")) {
                    response.getValue().path("content").fields().forEachRemaining(
                            media -> checkExamples(where + " " + media.getKey(), media.getValue(), missing));
                } else {
                    JsonNode problem = response.getValue().path("content").path(Problem.MEDIA_TYPE);
                    if (problem.isMissingNode()) {
                        missing.add(where + ": not documented as " + Problem.MEDIA_TYPE);
                    } else {
                        checkExamples(where + " " + Problem.MEDIA_TYPE, problem, missing);
                    }
                }
            });
        });
        assertThat(missing).isEmpty();
    }

    /**
     * Generated clients name their methods after the ids. No strategy is configured, so an id in the document is one
     * written in {@code @Operation(operationId = …)}, and an operation without one has none.
     */
    @Test
    void everyOperationHasAnExplicitCamelCaseIdOfItsOwn() {
        Config config = ConfigProvider.getConfig();
        assertThat(config.getOptionalValue("quarkus.smallrye-openapi.operation-id-strategy", String.class)).isEmpty();
        assertThat(config.getOptionalValue("mp.openapi.extensions.smallrye.operationIdStrategy", String.class)).isEmpty();
        Map<String, List<String>> operationsById = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        operations().forEach((name, operation) -> {
            String id = operation.path("operationId").asText();
            if (!id.matches("^[a-z][A-Za-z]+$")) {
                wrong.add(name + ": '" + id + "'");
            }
            operationsById.computeIfAbsent(id, key -> new ArrayList<>()).add(name);
        });
        assertThat(wrong).as("operations without a camelCase operationId").isEmpty();
        assertThat(operationsById).as("operationIds used more than once")
                .allSatisfy((id, operations) -> assertThat(operations).hasSize(1));
        assertThat(operationsById).containsKeys("createRenderJob", "getRenderJob", "listRenderJobs", "cancelRenderJob",
                "getRenderJobEvents", "createDeployVersion", "setDeployLatest", "createApiKey", "deleteApiKey");
    }

    /** The enum is generated from the Java one (its wire codes), not typed again: they cannot drift apart. */
    @Test
    void theJobsErrorCodeIsDocumentedAsTheErrorCodeEnum() {
        List<String> documented = new ArrayList<>();
        document.at("/components/schemas/JobView/properties/errorCode/enum")
                .forEach(code -> documented.add(code.asText()));
        assertThat(documented).containsExactly(Arrays.stream(ErrorCode.values()).map(ErrorCode::code)
                .toArray(String[]::new));
    }

    @Test
    void theTimelineIsDocumentedAsJsonAndAsAnEventStream() {
        JsonNode ok = document.at("/paths/~1v1~1render-jobs~1{jobId}~1events/get/responses/200/content");
        assertThat(ok.has("application/json")).isTrue();
        assertThat(ok.path("text/event-stream").path("examples").path("succeeded").path("value").asText())
                .startsWith("id:1\nevent:created\ndata:{");
    }

    /** Binary bodies (PDF, PNG, zip) have no example; everything else has at least one. */
    private void checkExamples(String where, JsonNode media, List<String> missing) {
        boolean binary = "binary".equals(media.path("schema").path("format").asText());
        boolean hasExample = media.path("examples").size() > 0 || media.has("example");
        if (!binary && !hasExample) {
            missing.add(where + ": no example");
        }
    }

    /** "GET /v1/render-jobs" → its operation. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new TreeMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(
                method -> operations.put(method.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(),
                        method.getValue())));
        return operations;
    }
}
