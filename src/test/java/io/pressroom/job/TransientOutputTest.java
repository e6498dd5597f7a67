package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pressroom.storage.ObjectStorage;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class TransientOutputTest {

    @Inject
    Pool database;

    @Inject
    ObjectStorage storage;

    @Test
    void transientOutputsExpireAndTheirLinksStopWorking() {
        TestProject project = Api.newProject();
        String jobId = project.call().body(Map.of("html", "<p>short-lived</p>", "outputMode", "transient"))
                .post("/v1/render-jobs").then().statusCode(202).body("job.outputMode", equalTo("transient"))
                .extract().path("job.id");
        JsonPath done = awaitTerminal(project, jobId);
        long ttl = done.getLong("output.expiresAt") - done.getLong("output.createdAt");
        assertThat(ttl).isEqualTo(Duration.ofHours(1).toMillis());
        String url = project.call().post("/v1/render-jobs/" + jobId + "/output-download").then().statusCode(200)
                .extract().path("access.url");
        given().get(url).then().statusCode(200);
        String key = database.preparedQuery("SELECT storage_key FROM render_outputs WHERE job_id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely().iterator().next().getString("storage_key");
        project.call().get("/v1/render-jobs/" + jobId + "/report").then().statusCode(200).body("pages", equalTo(1));

        // fast-forward: its hour is up
        database.preparedQuery("UPDATE render_outputs SET expires_at = now() - interval '1 second' WHERE job_id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> project.call().get("/v1/render-jobs/" + jobId)
                .then().body("output.state", equalTo("expired"), "pdf.state", equalTo("expired")));
        given().get(url).then().statusCode(404);
        project.call().post("/v1/render-jobs/" + jobId + "/output-download").then().statusCode(404);
        assertThat(storage.get(key)).isNull();
        // the report goes with the output: it describes files that are gone
        assertThat(database.preparedQuery("SELECT report FROM render_outputs WHERE job_id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely().iterator().next().getValue("report")).isNull();
        project.call().get("/v1/render-jobs/" + jobId + "/report").then().statusCode(404)
                .body("code", equalTo("report_not_found"));
        assertThat(project.call().get("/v1/render-jobs/" + jobId + "/events").then().extract().jsonPath()
                .<String> getList("data.type")).contains("output_expired");
    }

    /** Renderers before the report came with the event stored it beside the PDF: those reports are still served. */
    @Test
    void aReportAnEarlierRendererStoredBesideThePdfIsServedAndGoesWithTheOutput() {
        TestProject project = Api.newProject();
        String jobId = project.call().body(Map.of("html", "<p>an earlier renderer's</p>", "outputMode", "transient"))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        awaitTerminal(project, jobId);
        String key = database.preparedQuery("SELECT storage_key FROM render_outputs WHERE job_id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely().iterator().next().getString("storage_key");
        String reportKey = key.substring(0, key.lastIndexOf('/') + 1) + "report.json";
        storage.put(reportKey, "{\"pages\":7}".getBytes(StandardCharsets.UTF_8), "application/json");
        database.preparedQuery("UPDATE render_outputs SET report = NULL, report_key = $2 WHERE job_id = $1")
                .execute(Tuple.of(jobId, reportKey)).await().indefinitely();

        project.call().get("/v1/render-jobs/" + jobId + "/report").then().statusCode(200).body("pages", equalTo(7));

        database.preparedQuery("UPDATE render_outputs SET expires_at = now() - interval '1 second' WHERE job_id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely();
        await().atMost(Duration.ofSeconds(15)).until(() -> storage.get(reportKey) == null);
        project.call().get("/v1/render-jobs/" + jobId + "/report").then().statusCode(404)
                .body("code", equalTo("report_not_found"));
    }

    @Test
    void managedOutputsDoNotExpire() {
        TestProject project = Api.newProject();
        String jobId = project.call().body(Map.of("html", "<p>kept</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(project, jobId).getString("output.expiresAt")).isNull();
    }
}
