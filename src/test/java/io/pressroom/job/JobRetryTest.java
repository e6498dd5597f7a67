package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Pdfs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Retry on demand: a failed or cancelled job again, as a new job linked by retryOf. */
@QuarkusTest
class JobRetryTest {

    // pressroom.chromium.max-pages is 50 in tests: 51 pages fail with output_too_large
    private static final String PAGES = "{{#each pages}}<p style='page-break-after: always'>page {{this}}</p>{{/each}}";

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    private static Map<String, Object> pages(int count) {
        return Map.of("pages", IntStream.rangeClosed(1, count).boxed().toList());
    }

    private String failedJob() {
        String jobId = project.call().body(Map.of("html", PAGES, "payload", pages(51), "businessKey", "statement-7",
                "meta", Map.of("orderId", "A-7"), "options", Map.of("landscape", true))).post("/v1/render-jobs")
                .then().statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("failed");
        return jobId;
    }

    @Test
    void aFailedJobRetriedWithAGoodPayloadSucceedsAsANewLinkedJob() throws Exception {
        String failed = failedJob();
        // the payload went with the job's end: the retry must bring it
        project.call().body(Map.of()).post("/v1/render-jobs/" + failed + "/retry").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("payload_required"));

        JsonPath accepted = project.call().header("Idempotency-Key", "retry-1").body(Map.of("payload", pages(2)))
                .post("/v1/render-jobs/" + failed + "/retry").then().statusCode(202)
                .header("Location", containsString("/v1/render-jobs/rj_"))
                .extract().jsonPath();
        String retry = accepted.getString("job.id");
        assertThat(retry).isNotEqualTo(failed);
        // the same key and body: the same answer, no third job
        project.call().header("Idempotency-Key", "retry-1").body(Map.of("payload", pages(2)))
                .post("/v1/render-jobs/" + failed + "/retry").then().statusCode(202).body("job.id", equalTo(retry));

        JsonPath done = awaitTerminal(project, retry);
        assertThat(done.getString("job.status")).isEqualTo("succeeded");
        assertThat(done.getString("job.retryOf")).isEqualTo(failed);
        assertThat(done.getString("job.businessKey")).isEqualTo("statement-7");
        assertThat(done.getMap("job.meta")).isEqualTo(Map.of("orderId", "A-7"));
        byte[] pdf = project.call().get("/v1/render-jobs/" + retry + "/output").then().statusCode(200).extract()
                .asByteArray();
        assertThat(Pdfs.read(pdf).pages()).isEqualTo(2);
        assertThat(Pdfs.read(pdf).text()).contains("page 1", "page 2");

        // the original is untouched, and a succeeded job is not retried
        project.call().get("/v1/render-jobs/" + failed).then().body("job.status", equalTo("failed"),
                "job.retryOf", equalTo(null));
        project.call().body(Map.of("payload", pages(1))).post("/v1/render-jobs/" + retry + "/retry").then()
                .statusCode(409).contentType("application/problem+json").body("code", equalTo("job_not_retryable"));
        // another project does not see the job
        Api.newProject().call().body(Map.of("payload", pages(1))).post("/v1/render-jobs/" + failed + "/retry")
                .then().statusCode(404);
        assertThat(project.call().get("/v1/render-jobs?limit=100").then().extract().<List<String>> path("data.id"))
                .containsExactlyInAnyOrder(failed, retry);
    }
}
