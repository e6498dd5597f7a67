package io.pressroom.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.LogCapture;
import io.pressroom.testing.Pdfs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The seed-000 workflow, unchanged, over real PostgreSQL, Kafka, S3 and Chromium. */
@QuarkusTest
public class RenderFlowTest {

    static final String INVOICE = """
            <html><body><h1>Invoice for {{customer}}</h1>
            <ul>{{#each items}}<li>{{this}}</li>{{/each}}</ul><p>Total: {{total}}</p></body></html>""";

    private TestProject project;
    private String deployId;

    @BeforeEach
    void deploy() {
        project = Api.newProject();
        deployId = Api.deployWith(project, INVOICE);
    }

    private Map<String, Object> seedRequest() {
        return Map.of("deployId", deployId, "deployVersionId", "latest", "businessKey", "invoice-2026-04-28",
                "payload", Map.of("customer", "Acme Corp", "items", List.of("Widget", "Gadget"), "total", 42.99),
                "outputMode", "managed");
    }

    public static JsonPath awaitTerminal(TestProject project, String jobId) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> project.call().get("/v1/render-jobs/" + jobId).then().statusCode(200)
                        .extract().jsonPath(),
                        job -> List.of("succeeded", "failed", "cancelled").contains(job.getString("job.status")));
    }

    @Test
    void seed000CreatePollDownloadPreviewDelete() {
        String versionId = project.call().get("/v1/deploys/" + deployId + "/versions/latest").then()
                .extract().path("id");
        JsonPath accepted = project.call().header("Idempotency-Key", "render-2026-04-28-001").body(seedRequest())
                .post("/v1/render-jobs")
                .then().statusCode(202)
                .body("accepted", equalTo(true), "queue", equalTo("default"),
                        "job.id", startsWith("rj_"), "job.deployId", equalTo(deployId),
                        "job.deployVersionId", equalTo(versionId), "job.businessKey", equalTo("invoice-2026-04-28"),
                        "job.status", equalTo("queued"), "job.attempt", equalTo(0),
                        "job.outputMode", equalTo("managed"), "job.requestedAt", notNullValue())
                .extract().jsonPath();
        String jobId = accepted.getString("job.id");

        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).isEqualTo("succeeded");
        assertThat(done.getInt("job.attempt")).isEqualTo(1);
        assertThat(done.getLong("job.finishedAt")).isGreaterThanOrEqualTo(done.getLong("job.startedAt"));
        assertThat(done.getString("output.id")).startsWith("ro_");
        assertThat(done.getString("output.state")).isEqualTo("available");
        assertThat(done.getInt("output.pageCount")).isEqualTo(1);
        assertThat(done.getString("output.sha256")).matches("[0-9a-f]{64}");
        assertThat(done.getString("pdf.id")).startsWith("pdf_");
        assertThat(done.getString("pdf.fileName")).isEqualTo("invoice-2026-04-28.pdf");
        assertThat(done.getLong("pdf.bytes")).isEqualTo(done.getLong("output.bytes")).isPositive();

        // the same request with the same key answers exactly as the first time
        project.call().header("Idempotency-Key", "render-2026-04-28-001").body(seedRequest()).post("/v1/render-jobs")
                .then().statusCode(202).body("job.id", equalTo(jobId), "job.status", equalTo("queued"));

        JsonPath report = project.call().get("/v1/render-jobs/" + jobId + "/report").then().statusCode(200)
                .extract().jsonPath();
        assertThat(report.getInt("pages")).isEqualTo(1);
        assertThat(report.getString("sha256")).isEqualTo(done.getString("output.sha256"));
        assertThat(report.getMap("timings")).containsKeys("queueWait", "merge", "load", "print", "upload");
        assertThat(report.getList("blockedRequests")).isEmpty();

        String download = project.call().post("/v1/render-jobs/" + jobId + "/output-download")
                .then().statusCode(200).body("access.url", containsString("/v1/downloads/"),
                        "access.expiresAt", notNullValue())
                .extract().path("access.url");
        long expiresAt = project.call().queryParam("expiresInSeconds", 3600)
                .post("/v1/render-jobs/" + jobId + "/output-download").then().statusCode(200)
                .extract().jsonPath().getLong("access.expiresAt");
        assertThat(expiresAt).isBetween(System.currentTimeMillis() + 3590_000, System.currentTimeMillis() + 3601_000);

        Response pdf = given().get(download);
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.contentType()).isEqualTo("application/pdf");
        assertThat(pdf.header("Content-Disposition")).isEqualTo("attachment; filename=\"invoice-2026-04-28.pdf\"");
        Pdfs.Pdf content = Pdfs.read(pdf.asByteArray());
        assertThat(content.pages()).isEqualTo(1);
        assertThat(content.text()).contains("Invoice for Acme Corp", "Widget", "Gadget", "Total: 42.99");

        // the private download through the API serves the same bytes
        byte[] direct = project.call().get("/v1/render-jobs/" + jobId + "/output").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        assertThat(direct).isEqualTo(pdf.asByteArray());
        Api.newProject().call().get("/v1/render-jobs/" + jobId + "/output").then().statusCode(404);

        String preview = project.call().post("/v1/render-jobs/" + jobId + "/output-preview")
                .then().statusCode(200).extract().path("access.url");
        given().get(preview).then().statusCode(200)
                .header("Content-Disposition", "inline; filename=\"invoice-2026-04-28.pdf\"");

        // tampered and expired links are refused
        String tampered = download.substring(0, download.length() - 3) + (download.endsWith("A") ? "BBB" : "AAA");
        given().get(tampered).then().statusCode(403).contentType("application/problem+json");
        String shortLived = project.call().queryParam("expiresInSeconds", 1)
                .post("/v1/render-jobs/" + jobId + "/output-download").then().statusCode(200)
                .extract().path("access.url");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get(shortLived).then().statusCode(410));
        project.call().queryParam("expiresInSeconds", 0).post("/v1/render-jobs/" + jobId + "/output-download")
                .then().statusCode(400).body("detail", startsWith("expiresInSeconds"));
        project.call().queryParam("expiresInSeconds", 604801).post("/v1/render-jobs/" + jobId + "/output-download")
                .then().statusCode(400);

        project.call().delete("/v1/render-jobs/" + jobId + "/output").then().statusCode(204);
        given().get(download).then().statusCode(404);
        project.call().delete("/v1/render-jobs/" + jobId + "/output").then().statusCode(404);
        project.call().post("/v1/render-jobs/" + jobId + "/output-download").then().statusCode(404);
        project.call().get("/v1/render-jobs/" + jobId + "/output").then().statusCode(404);
        project.call().get("/v1/render-jobs/" + jobId).then().statusCode(200)
                .body("output.state", equalTo("deleted"), "pdf.state", equalTo("deleted"));
    }

    /**
     * A job's way from its create to its end warns of nothing: Hibernate Reactive 3.2.1 logged two warnings for every
     * job created (HHH90010101, HHH90010108: clean-up actions of a DML statement left in the wrong queue). Only the
     * loggers on the job's way are looked at: Kafka's own clients warn of their broker's outages in other tests of the
     * same JVM (those of stopped test apps did until the test profile gave their producers a close timeout).
     */
    @Test
    void aJobsWayLogsNoWarning() {
        try (LogCapture logs = LogCapture.install()) {
            String id = project.call().body(Map.of("html", "<p>quiet</p>")).post("/v1/render-jobs").then()
                    .statusCode(202).extract().path("job.id");
            assertThat(awaitTerminal(project, id).getString("job.status")).isEqualTo("succeeded");
            assertThat(logs.lines()).filteredOn(line -> line.record().getLevel().intValue() >= Level.WARNING.intValue())
                    .filteredOn(line -> Stream.of("org.hibernate", "io.pressroom", "io.vertx", "io.quarkus")
                            .anyMatch(line.logger()::startsWith))
                    .isEmpty();
        }
    }

    @Test
    void idempotencyKeyWithOtherParametersIs409() {
        project.call().header("Idempotency-Key", "k-1").body(seedRequest()).post("/v1/render-jobs")
                .then().statusCode(202);
        Map<String, Object> other = new java.util.HashMap<>(seedRequest());
        other.put("businessKey", "invoice-2026-04-29");
        project.call().header("Idempotency-Key", "k-1").body(other).post("/v1/render-jobs").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("idempotency_key_reused"));
        // keys are per project
        TestProject stranger = Api.newProject();
        String strangerDeploy = Api.deployWith(stranger, "<p>{{customer}}</p>");
        stranger.call().header("Idempotency-Key", "k-1").body(Map.of("deployId", strangerDeploy))
                .post("/v1/render-jobs").then().statusCode(202);
    }

    @Test
    void twentyConcurrentCreatesWithOneKeyMakeOneJob() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> project.call().header("Idempotency-Key", "concurrent-1").body(seedRequest())
                        .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id"));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> result : pool.invokeAll(calls)) {
                ids.add(result.get());
            }
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void payloadValuesPrintLiterally() {
        String jobId = project.call().body(Map.of("deployId", deployId, "payload",
                Map.of("customer", "<script>document.write('HACKED')</script>{{total}}", "total", 1)))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");
        String url = project.call().post("/v1/render-jobs/" + jobId + "/output-download").then().extract()
                .path("access.url");
        // PDF text extraction breaks long lines: compare without whitespace
        String text = Pdfs.read(given().get(url).asByteArray()).text().replaceAll("\\s+", "");
        assertThat(text).contains("<script>document.write('HACKED')</script>{{total}}").doesNotContain("InvoiceforHACKED");
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() {
        project.call().body("{\"html\": \"x\",").post("/v1/render-jobs").then().statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo("request body is not valid JSON"));
        project.call().body("{\"html\": \"x\", \"options\": \"A4\"}").post("/v1/render-jobs").then().statusCode(400)
                .body("detail", startsWith("options"));
        project.call().body(Map.of()).post("/v1/render-jobs").then().statusCode(400)
                .contentType("application/problem+json").body("detail", startsWith("deployId"));
        project.call().body(Map.of("deployId", deployId, "outputMode", "forever")).post("/v1/render-jobs")
                .then().statusCode(400).body("detail", startsWith("outputMode"));
        project.call().body(Map.of("deployId", deployId, "queue", "nope")).post("/v1/render-jobs")
                .then().statusCode(400).body("detail", startsWith("queue"));
        project.call().body(Map.of("deployId", deployId, "payload", List.of(1))).post("/v1/render-jobs")
                .then().statusCode(400).body("detail", startsWith("payload"));
        project.call().body(Map.of("deployId", deployId, "options", Map.of("format", "B9"))).post("/v1/render-jobs")
                .then().statusCode(400).body("detail", startsWith("options.format"));
        project.call().body(Map.of("deployId", "dpl_unknown")).post("/v1/render-jobs").then().statusCode(404);
        project.call().body(Map.of("deployId", deployId, "deployVersionId", "dv_unknown")).post("/v1/render-jobs")
                .then().statusCode(404);
        TestProject stranger = Api.newProject();
        stranger.call().body(Map.of("deployId", deployId)).post("/v1/render-jobs").then().statusCode(404);
        project.call().get("/v1/render-jobs/rj_unknown").then().statusCode(404);
    }

    @Test
    void anotherProjectsJobIsNotFound() {
        String jobId = project.call().body(seedRequest()).post("/v1/render-jobs").then().statusCode(202)
                .extract().path("job.id");
        TestProject stranger = Api.newProject();
        stranger.call().get("/v1/render-jobs/" + jobId).then().statusCode(404).body("code", equalTo("not_found"));
        stranger.call().post("/v1/render-jobs/" + jobId + "/output-download").then().statusCode(404);
        stranger.call().delete("/v1/render-jobs/" + jobId + "/output").then().statusCode(404);
        awaitTerminal(project, jobId);
    }

    @Test
    void inlineHtmlJobsAndLargePayloadsRender() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add("line-" + i + "-" + "x".repeat(20));
        }
        String jobId = project.call().body(Map.of("html", "<p>first {{lines.[0]}}</p><p>count {{count}}</p>",
                "payload", Map.of("lines", lines, "count", lines.size()), "businessKey", "big payload/é"))
                .post("/v1/render-jobs").then().statusCode(202).body("job.deployId", equalTo(null))
                .extract().path("job.id");
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getString("pdf.fileName")).isEqualTo("big-payload.pdf");
        String url = project.call().post("/v1/render-jobs/" + jobId + "/output-download").then().extract()
                .path("access.url");
        assertThat(Pdfs.read(given().get(url).asByteArray()).text()).contains("first line-0-", "count 3000");
    }

    @Test
    void outputIsNotAvailableWhileTheJobRuns() {
        String jobId = project.call().body(Map.of("html", "<p>slow</p>", "options", Map.of("waitDelayMs", 3000)))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        project.call().post("/v1/render-jobs/" + jobId + "/output-download").then().statusCode(409)
                .body("code", equalTo("output_not_ready"));
        project.call().delete("/v1/render-jobs/" + jobId + "/output").then().statusCode(409);
        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");
    }

}
