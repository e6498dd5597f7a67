package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

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
        var stored = database.preparedQuery("SELECT storage_key, report_key FROM render_outputs WHERE job_id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely().iterator().next();
        String key = stored.getString("storage_key");
        String reportKey = stored.getString("report_key");
        assertThat(storage.get(reportKey)).isNotNull();

        // fast-forward: its hour is up
        database.preparedQuery("UPDATE render_outputs SET expires_at = now() - interval '1 second' WHERE job_id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> project.call().get("/v1/render-jobs/" + jobId)
                .then().body("output.state", equalTo("expired"), "pdf.state", equalTo("expired")));
        given().get(url).then().statusCode(404);
        project.call().post("/v1/render-jobs/" + jobId + "/output-download").then().statusCode(404);
        assertThat(storage.get(key)).isNull();
        // the report goes with the output, rather than staying in the bucket for good
        await().atMost(Duration.ofSeconds(5)).until(() -> storage.get(reportKey) == null);
        project.call().get("/v1/render-jobs/" + jobId + "/report").then().statusCode(404)
                .body("code", equalTo("report_not_found"));
        assertThat(project.call().get("/v1/render-jobs/" + jobId + "/events").then().extract().jsonPath()
                .<String> getList("data.type")).contains("output_expired");
    }

    @Test
    void managedOutputsDoNotExpire() {
        TestProject project = Api.newProject();
        String jobId = project.call().body(Map.of("html", "<p>kept</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(project, jobId).getString("output.expiresAt")).isNull();
    }
}
