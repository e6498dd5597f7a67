package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Pdfs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Share links: minted for a succeeded job, listed, and revoked one at a time (410) without touching the rest. */
@QuarkusTest
class ShareLinksTest {

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    private String succeededJob() {
        String jobId = project.call().body(Map.of("html", "<h1>Shared {{n}}</h1>", "payload", Map.of("n", 7)))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");
        return jobId;
    }

    private JsonPath share(String jobId, Map<String, Object> body) {
        return project.call().body(body).post("/v1/render-jobs/" + jobId + "/shares").then().statusCode(201)
                .contentType("application/json").extract().jsonPath();
    }

    @Test
    void aRevokedLinkAnswers410AndTheOtherLinkAndTheOutputStay() throws Exception {
        String jobId = succeededJob();
        JsonPath first = share(jobId, Map.of("expiresInSeconds", 3600));
        JsonPath second = share(jobId, Map.of());
        assertThat(first.getString("id")).startsWith("shr_");
        assertThat(first.getLong("expiresAt") - first.getLong("createdAt")).isBetween(3_599_000L, 3_601_000L);
        assertThat(second.getLong("expiresAt") - second.getLong("createdAt")).isBetween(599_000L, 601_000L);

        byte[] pdf = given().get(first.getString("url")).then().statusCode(200).contentType("application/pdf")
                .extract().asByteArray();
        assertThat(Pdfs.read(pdf).text()).contains("Shared 7");

        project.call().delete("/v1/render-jobs/" + jobId + "/shares/" + first.getString("id")).then()
                .statusCode(204);
        given().get(first.getString("url")).then().statusCode(410).contentType("application/problem+json")
                .body("code", equalTo("link_revoked"));
        given().get(second.getString("url")).then().statusCode(200).contentType("application/pdf");
        project.call().get("/v1/render-jobs/" + jobId + "/output").then().statusCode(200);
        // revoking again changes nothing
        project.call().delete("/v1/render-jobs/" + jobId + "/shares/" + first.getString("id")).then()
                .statusCode(204);

        project.call().get("/v1/render-jobs/" + jobId + "/shares").then().statusCode(200)
                .body("data.id", equalTo(java.util.List.of(first.getString("id"), second.getString("id"))),
                        "data[0].revokedAt", org.hamcrest.Matchers.notNullValue(),
                        "data[1].revokedAt", nullValue(), "data[0].url", nullValue(), "data[1].url", nullValue());
    }

    @Test
    void onlyASucceededJobOfTheProjectIsShared() {
        // pressroom.chromium.max-pages is 50 in tests: 51 pages fail with output_too_large
        String failed = project.call().body(Map.of("html", "{{#each pages}}<p style='page-break-after: always'>"
                + "{{this}}</p>{{/each}}", "payload",
                Map.of("pages", java.util.stream.IntStream.rangeClosed(1, 51)
                        .boxed().toList())))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(project, failed).getString("job.status")).isEqualTo("failed");
        project.call().body(Map.of()).post("/v1/render-jobs/" + failed + "/shares").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("job_not_succeeded"));

        String jobId = succeededJob();
        Api.newProject().call().body(Map.of()).post("/v1/render-jobs/" + jobId + "/shares").then().statusCode(404);
        Api.newProject().call().get("/v1/render-jobs/" + jobId + "/shares").then().statusCode(404);
        project.call().body(Map.of("expiresInSeconds", 0)).post("/v1/render-jobs/" + jobId + "/shares").then()
                .statusCode(400).body("detail", startsWith("expiresInSeconds"));
        project.call().delete("/v1/render-jobs/" + jobId + "/shares/shr_nope").then().statusCode(404);
        project.call().get("/v1/render-jobs/" + jobId + "/shares").then().statusCode(200)
                .body("data.size()", equalTo(0));
    }
}
