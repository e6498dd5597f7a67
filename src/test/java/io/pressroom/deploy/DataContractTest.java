package io.pressroom.deploy;

import static io.pressroom.deploy.Zips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.job.RenderFlowTest;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** A version's data contract on the real stack: published with the version, enforced when a job is created. */
@QuarkusTest
class DataContractTest {

    private static final String HTML = "<html><body><h1>Invoice for {{customer.name}}</h1>"
            + "{{#each items}}<p>{{qty}} × {{sku}}</p>{{/each}}</body></html>";
    private static final Map<String, Object> SCHEMA = Map.of(
            "$schema", "https://json-schema.org/draft/2020-12/schema",
            "type", "object",
            "required", List.of("customer", "items"),
            "properties", Map.of(
                    "customer", Map.of("type", "object", "required", List.of("name"),
                            "properties", Map.of("name", Map.of("type", "string", "minLength", 1))),
                    "items", Map.of("type", "array", "items", Map.of("type", "object", "required", List.of("sku"),
                            "properties", Map.of("qty", Map.of("type", "integer", "minimum", 1),
                                    "sku", Map.of("type", "string"))))));
    private static final Map<String, Object> SAMPLE = Map.of("customer", Map.of("name", "Acme Corp"),
            "items", List.of(Map.of("qty", 2, "sku", "WIDGET")));
    /** Breaks the schema in three places: a missing name, a qty that is no integer, a missing sku. */
    private static final Map<String, Object> BROKEN = Map.of("customer", Map.of(),
            "items", List.of(Map.of("qty", "two")));

    @Inject
    Pool database;

    private TestProject project;
    private String deployId;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
        deployId = Api.createDeploy(project, "Invoice");
    }

    @Test
    void aVersionCarriesItsSchemaAndSampleAndShowsThemOnReads() {
        String versionId = publish(Map.of("html", HTML, "schema", SCHEMA, "samplePayload", SAMPLE)).statusCode(201)
                .body("schema.required", containsInAnyOrder("customer", "items"),
                        "samplePayload.customer.name", equalTo("Acme Corp"),
                        "files.path", hasItems("index.html", "sample.json", "schema.json"))
                .extract().path("id");
        project.call().get("/v1/deploys/" + deployId + "/versions/latest").then().statusCode(200)
                .body("id", equalTo(versionId), "schema.properties.customer.required", hasItems("name"),
                        "samplePayload.items[0].sku", equalTo("WIDGET"));
        project.call().get("/v1/deploys/" + deployId + "/versions").then().statusCode(200)
                .body("data[0].schema.type", equalTo("object"));
    }

    @Test
    void aMatchingPayloadRendersAndABrokenOneIsRefusedWithEveryViolationAndNothingStored() {
        publish(Map.of("html", HTML, "schema", SCHEMA, "samplePayload", SAMPLE)).statusCode(201);
        String jobId = createJob(SAMPLE, "latest").statusCode(202).extract().path("job.id");
        JsonPath done = RenderFlowTest.awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("succeeded");

        long jobs = count("SELECT count(*) FROM render_jobs WHERE project_id = $1", project.id());
        long outbox = count("SELECT count(*) FROM outbox WHERE $1::text IS NOT NULL", project.id());
        for (String sync : List.of("false", "true")) {
            project.call().queryParam("sync", sync)
                    .body(Map.of("deployId", deployId, "deployVersionId", "latest", "payload", BROKEN))
                    .post("/v1/render-jobs").then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("payload_invalid"),
                            "type", equalTo("https://pressroom.dev/problems/payload-invalid"),
                            "detail", startsWith("payload: does not match the version's schema in 3 places"),
                            "violations", hasSize(3),
                            "violations.pointer", containsInAnyOrder("/customer/name", "/items/0/qty", "/items/0/sku"),
                            "violations.find { it.pointer == '/customer/name' }.message",
                            equalTo("required property 'name' not found"));
        }
        assertThat(count("SELECT count(*) FROM render_jobs WHERE project_id = $1", project.id())).isEqualTo(jobs);
        assertThat(count("SELECT count(*) FROM outbox WHERE $1::text IS NOT NULL", project.id())).isEqualTo(outbox);
    }

    @Test
    void latestResolvesToTheVersionWhoseSchemaApplies() {
        String strict = publish(Map.of("html", HTML, "schema", SCHEMA)).statusCode(201).extract().path("id");
        String loose = publish(Map.of("html", HTML)).statusCode(201)
                .body("schema", nullValue(), "samplePayload", nullValue()).extract().path("id");

        createJob(BROKEN, "latest").statusCode(202); // latest is the version without a schema
        createJob(BROKEN, loose).statusCode(202);
        createJob(BROKEN, strict).statusCode(400).body("code", equalTo("payload_invalid"));
        project.call().body(Map.of("versionId", strict)).put("/v1/deploys/" + deployId + "/latest").then()
                .statusCode(200);
        createJob(BROKEN, "latest").statusCode(400).body("code", equalTo("payload_invalid"));
        // an inline-html job has no schema
        project.call().body(Map.of("html", HTML, "payload", BROKEN)).post("/v1/render-jobs").then().statusCode(202);
    }

    @Test
    void aSchemaThatIsNotA2020SchemaIs400NamingTheFieldAndPublishesNothing() {
        publish(Map.of("html", HTML, "schema", Map.of("type", 12))).statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("invalid_request"),
                        "detail", startsWith("schema: is not a valid JSON Schema (draft 2020-12): /type"));
        publish(Map.of("html", HTML, "schema", Map.of("$schema", "http://json-schema.org/draft-07/schema#")))
                .statusCode(400).body("detail", startsWith("schema.$schema: must be absent or"));
        project.call().get("/v1/deploys/" + deployId).then().body("versionCount", equalTo(0));
    }

    @Test
    void aRemoteRefIsRefusedNotFetched() {
        // nothing listens on port 1: a fetch would fail differently, and the check happens before any fetch
        publish(Map.of("html", HTML, "schema", Map.of("properties",
                Map.of("customer", Map.of("$ref", "http://127.0.0.1:1/customer.json"))))).statusCode(400)
                .body("code", equalTo("invalid_request"), "detail", startsWith("schema: cannot be used: "));
        project.call().get("/v1/deploys/" + deployId).then().body("versionCount", equalTo(0));
    }

    @Test
    void aSampleThatBreaksTheSchemaIs400WithItsViolations() {
        publish(Map.of("html", HTML, "schema", SCHEMA, "samplePayload", BROKEN)).statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("payload_invalid"),
                        "detail", startsWith("samplePayload: does not match the version's schema in 3 places"),
                        "violations.pointer", containsInAnyOrder("/customer/name", "/items/0/qty", "/items/0/sku"));
        project.call().get("/v1/deploys/" + deployId).then().body("versionCount", equalTo(0));
    }

    @Test
    void aZipCarriesItsContractAsSchemaJsonAndSampleJson() {
        String schema = "{\"type\": \"object\", \"required\": [\"customer\"]}";
        byte[] zip = zip().file("index.html", HTML).file("schema.json", schema)
                .file("sample.json", "{\"customer\": {\"name\": \"Acme\"}}").bytes();
        project.call().contentType("application/zip").body(zip).post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(201).body("schema.required", hasItems("customer"),
                        "samplePayload.customer.name", equalTo("Acme"));
        createJob(Map.of("total", 1), "latest").statusCode(400)
                .body("violations.pointer", containsInAnyOrder("/customer"));

        byte[] broken = zip().file("index.html", HTML).file("schema.json", schema).file("sample.json", "{}").bytes();
        project.call().contentType("application/zip").body(broken).post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(400).body("code", equalTo("payload_invalid"),
                        "detail", startsWith("sample.json: does not match"));
        byte[] notJson = zip().file("index.html", HTML).file("schema.json", "{type: object}").bytes();
        project.call().contentType("application/zip").body(notJson).post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(400).body("detail", equalTo("schema.json: is not valid JSON"));
    }

    private ValidatableResponse publish(Map<String, Object> body) {
        return project.call().body(body).post("/v1/deploys/" + deployId + "/versions").then();
    }

    private ValidatableResponse createJob(Map<String, Object> payload, String versionId) {
        return project.call().body(Map.of("deployId", deployId, "deployVersionId", versionId, "payload", payload))
                .post("/v1/render-jobs").then();
    }

    private long count(String sql, String projectId) {
        return database.preparedQuery(sql).execute(Tuple.of(projectId)).await().indefinitely().iterator().next()
                .getLong(0);
    }
}
