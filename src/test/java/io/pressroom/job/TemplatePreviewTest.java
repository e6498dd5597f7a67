package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.pressroom.contract.StorageKeys;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Pdfs;
import io.pressroom.testing.Pdfs.Pdf;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Template previews on the real stack (issue 14, point 2): rendered through Kafka and a renderer's Chromium, answered
 * as the first page's PNG or the PDF, watermarked, counted nowhere and stored nowhere.
 */
@QuarkusTest
class TemplatePreviewTest {

    private static final String HTML = "<html><body><h1>Invoice for {{customer.name}}</h1>"
            + "{{#each items}}<p>{{qty}} x {{sku}}</p>{{/each}}</body></html>";
    private static final Map<String, Object> SCHEMA = Map.of(
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

    @Inject
    Pool database;
    @Inject
    ObjectStorage storage;

    private TestProject project;
    private String deployId;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
        deployId = Api.createDeploy(project, "Invoice");
    }

    @Test
    void theFirstPageIsAnsweredAsAnA4Png() throws Exception {
        publish(Map.of("html", HTML, "schema", SCHEMA, "samplePayload", SAMPLE));

        Response answer = preview("latest", null, null);
        answer.then().statusCode(200).contentType("image/png").header("X-Pressroom-Pages", "1");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(answer.asByteArray()));
        assertThat(image).as("a PNG").isNotNull();
        assertThat((double) image.getHeight() / image.getWidth()).isCloseTo(297.0 / 210.0,
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(image.getWidth()).isEqualTo(794); // 96 DPI

        // a longer document: still the first page only, and the page count in the header
        publish(Map.of("html", "<style>p { page-break-after: always }</style><p>one</p><p>two</p><p>three</p>",
                "samplePayload", Map.of()));
        Response longer = preview("latest", null, "image/png");
        longer.then().statusCode(200).contentType("image/png").header("X-Pressroom-Pages", "3");
        assertThat(ImageIO.read(new ByteArrayInputStream(longer.asByteArray())).getHeight()).isBetween(1122, 1123);
    }

    @Test
    void thePdfCarriesTheTestWatermarkAndTheSampleData() {
        String versionId = publish(Map.of("html", HTML, "schema", SCHEMA, "samplePayload", SAMPLE));

        Response answer = preview(versionId, null, "application/pdf");
        answer.then().statusCode(200).contentType("application/pdf");
        Pdf pdf = Pdfs.read(answer.asByteArray());
        assertThat(pdf.pages()).isEqualTo(1);
        assertThat(pdf.text()).contains("Invoice for Acme Corp").contains("2 x WIDGET").contains("TEST");
    }

    @Test
    void aPayloadInTheBodyOverridesTheSample() {
        publish(Map.of("html", HTML, "schema", SCHEMA, "samplePayload", SAMPLE));

        Map<String, Object> globex = Map.of("customer", Map.of("name", "Globex"),
                "items", List.of(Map.of("qty", 7, "sku", "GIZMO")));
        Pdf pdf = Pdfs.read(preview("latest", globex, "application/pdf").then().statusCode(200).extract()
                .asByteArray());
        assertThat(pdf.text()).contains("Invoice for Globex").contains("7 x GIZMO").doesNotContain("Acme");
    }

    @Test
    void previewsAreCountedNowhereAndStoredNowhereAndSoAreEstimates() {
        publish(Map.of("html", HTML, "schema", SCHEMA, "samplePayload", SAMPLE));
        preview("latest", null, null).then().statusCode(200);
        preview("latest", null, "application/pdf").then().statusCode(200);
        project.call().body(Map.of("deployId", deployId, "payload", SAMPLE)).post("/v1/render-jobs/estimate").then()
                .statusCode(200).body("pages", equalTo(1));

        assertThat(project.call().get("/v1/render-jobs").then().statusCode(200).extract().jsonPath()
                .getList("data")).isEmpty();
        project.call().get("/v1/usage").then().statusCode(200).body("jobs.succeeded", equalTo(0),
                "pages", equalTo(0), "test.jobs.succeeded", equalTo(0), "test.pages", equalTo(0),
                "bytesStored", equalTo(0), "test.bytesStored", equalTo(0));
        assertThat(rows("SELECT count(*) FROM render_jobs WHERE project_id = $1"))
                .as("no job row is left, hidden or not").isZero();
        assertThat(rows("SELECT count(*) FROM render_outputs WHERE project_id = $1")).isZero();
        assertThat(storage.list(StorageKeys.OUTPUTS + project.id() + "/", null, 100).objects())
                .as("nothing is left in object storage").isEmpty();
    }

    @Test
    void badRequestsAreRefusedAndRenderNothing() {
        String versionId = publish(Map.of("html", HTML, "schema", SCHEMA));

        preview(versionId, null, null).then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("payload_required"), "detail", startsWith("payload: version " + versionId));
        preview(versionId, Map.of("customer", Map.of(), "items", List.of(Map.of("qty", "two"))), null).then()
                .statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("payload_invalid"), "violations.pointer", hasItem("/customer/name"),
                        "violations.pointer", hasItem("/items/0/sku"));
        preview("dv_01m84qd2rn19krp5efh5x1vtm0", SAMPLE, null).then().statusCode(404)
                .contentType("application/problem+json");
        project.call().contentType("application/json").body(SAMPLE)
                .post("/v1/deploys/dpl_01m84qd2af2gfm2zn5zrf03dxc/versions/latest/preview").then().statusCode(404);
        Api.newProject().call().contentType("application/json").body(SAMPLE)
                .post("/v1/deploys/" + deployId + "/versions/latest/preview").then().statusCode(404);
        io.restassured.RestAssured.given().contentType("application/json").body(SAMPLE)
                .post("/v1/deploys/" + deployId + "/versions/latest/preview").then().statusCode(401);
        project.call().contentType("application/json").body("[1, 2]")
                .post("/v1/deploys/" + deployId + "/versions/latest/preview").then().statusCode(400)
                .contentType("application/problem+json");

        assertThat(rows("SELECT count(*) FROM render_jobs WHERE project_id = $1")).isZero();
    }

    @Test
    void aRenderFailureIsA422WithTheRendersError() {
        publish(Map.of("html", "<p>{{> header}}</p>", "samplePayload", Map.of()));

        preview("latest", null, null).then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("preview_failed"), "errorCode", equalTo("template_error"),
                        "detail", startsWith("the render failed: template_error: "));
        assertThat(rows("SELECT count(*) FROM render_jobs WHERE project_id = $1")).isZero();
    }

    /**
     * A measurement, not a test, so it runs only when asked for ({@code -Dpressroom.bench.preview=true},
     * docs/performance.md): the latency of previews of the shared bench invoice, printed for the report. Each preview
     * waits for the one before, as an editor's preview pane does.
     */
    @Test
    @EnabledIfSystemProperty(named = "pressroom.bench.preview", matches = "true")
    void benchInvoicePreviewLatency() throws Exception {
        Path docs = Path.of(System.getenv().getOrDefault("PRESSROOM_BENCH_DOCS", "../shared/bench"));
        String invoice = Files.readString(docs.resolve("invoice.html"), StandardCharsets.UTF_8);
        publish(Map.of("html", invoice, "samplePayload", Map.of()));
        for (int i = 0; i < 3; i++) {
            preview("latest", null, null).then().statusCode(200); // warm-up
        }
        List<Long> png = new ArrayList<>();
        List<Long> pdf = new ArrayList<>();
        List<Long> job = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            preview("latest", null, null).then().statusCode(200).contentType("image/png");
            png.add((System.nanoTime() - start) / 1_000_000);
            start = System.nanoTime();
            preview("latest", null, "application/pdf").then().statusCode(200).contentType("application/pdf");
            pdf.add((System.nanoTime() - start) / 1_000_000);
            // the same document as a job with ?sync=true, for scale on whatever else the machine is doing
            start = System.nanoTime();
            project.call().body(Map.of("deployId", deployId, "outputMode", "transient")).post("/v1/render-jobs?sync=true")
                    .then().statusCode(200).body("job.status", equalTo("succeeded"));
            job.add((System.nanoTime() - start) / 1_000_000);
        }
        System.out.printf("PREVIEW-LATENCY bench invoice, 10 each: png %s; pdf %s; sync job %s; load average %s%n",
                summary(png), summary(pdf), summary(job),
                Files.readString(Path.of("/proc/loadavg")).strip());
    }

    private static String summary(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return "min " + sorted.get(0) + " / median " + sorted.get(sorted.size() / 2) + " / max "
                + sorted.get(sorted.size() - 1) + " ms";
    }

    private String publish(Map<String, Object> version) {
        return project.call().body(version).post("/v1/deploys/" + deployId + "/versions").then().statusCode(201)
                .extract().path("id");
    }

    private Response preview(String versionId, Map<String, Object> payload, String accept) {
        var request = project.call();
        if (payload != null) {
            request.contentType("application/json").body(payload);
        }
        if (accept != null) {
            request.accept(accept);
        }
        return request.post("/v1/deploys/" + deployId + "/versions/" + versionId + "/preview");
    }

    private long rows(String sql) {
        return database.preparedQuery(sql).execute(Tuple.of(project.id())).await().indefinitely().iterator().next()
                .getLong(0);
    }
}
