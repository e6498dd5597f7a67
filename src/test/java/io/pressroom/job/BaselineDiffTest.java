package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue 15 (5) end to end: jobs compared with a baseline job's PDF through the real renderer, storage and database,
 * asserted by pixel counts; and the release gate of {@code POST /v1/deploys/{id}/versions?verify=true}.
 */
@QuarkusTest
class BaselineDiffTest {

    private static final String PAGE = "<h1>Invoice for {{name}}</h1><p>Total: 42.99</p>";
    /** A 2 × 1 inch block at 72 DPI: 144 × 72 = 10,368 pixels of an A4 page's 595 × 842. */
    private static final String BLOCK = "<div style=\"position:absolute; left:3in; top:5in; width:2in; height:1in; "
            + "background:#0044ff\"></div>";
    private static final long BLOCK_PIXELS = 144 * 72;
    private static final String SECOND_PAGE = "<div style=\"page-break-after: always\"></div><h1>Terms</h1>";

    @Test
    void theSameTemplateTwiceChangesNothing() {
        TestProject project = Api.newProject();
        String baseline = succeeded(project, PAGE, null);
        JsonPath job = awaitTerminal(project, create(project, PAGE, baseline));
        assertThat(job.getString("job.status")).isEqualTo("succeeded");
        assertThat(job.getString("job.baselineJobId")).isEqualTo(baseline);
        assertThat(job.getString("diff.baselineJobId")).isEqualTo(baseline);
        assertThat(job.getList("diff.changedPages")).isEmpty();
        assertThat(job.getDouble("diff.maxChangedRatio")).isZero();
        assertThat(job.getBoolean("diff.pageCountChanged")).isFalse();
        assertThat(job.getList("diff.pages")).hasSize(1);
        assertThat(job.getLong("diff.pages[0].changedPixels")).isZero();
    }

    @Test
    void aColoredBlockChangesItsPageByItsArea() throws Exception {
        TestProject project = Api.newProject();
        String baseline = succeeded(project, PAGE, null);
        String jobId = create(project, PAGE + BLOCK, baseline);
        JsonPath job = awaitTerminal(project, jobId);
        assertThat(job.getString("job.status")).isEqualTo("succeeded");
        assertThat(job.getList("diff.changedPages", Integer.class)).containsExactly(1);
        long changed = job.getLong("diff.pages[0].changedPixels");
        long total = job.getLong("diff.pages[0].totalPixels");
        assertThat(total).isBetween(595L * 842 - 2000, 596L * 843 + 2000);
        assertThat(changed).isBetween(BLOCK_PIXELS * 95 / 100, BLOCK_PIXELS * 105 / 100);
        double ratio = job.getDouble("diff.maxChangedRatio");
        assertThat(ratio).isEqualTo(job.getDouble("diff.pages[0].changedRatio"))
                .isBetween(0.019, 0.022); // 10,368 / 500,990
        assertThat(job.getString("diff.pages[0].image")).isEqualTo("/v1/render-jobs/" + jobId + "/diff/pages/1.png");

        byte[] png = project.call().get("/v1/render-jobs/" + jobId + "/diff/pages/1.png").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        long red = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == 0xFF0000) {
                    red++;
                }
            }
        }
        assertThat(red).isEqualTo(changed);
        project.call().get("/v1/render-jobs/" + jobId + "/diff/pages/2.png").then().statusCode(404)
                .body("code", equalTo("diff_page_not_found"));
        Api.newProject().call().get("/v1/render-jobs/" + jobId + "/diff/pages/1.png").then().statusCode(404);

        // the difference images go with the output
        project.call().delete("/v1/render-jobs/" + jobId + "/output").then().statusCode(204);
        project.call().get("/v1/render-jobs/" + jobId + "/diff/pages/1.png").then().statusCode(404);
    }

    @Test
    void pagesOnlyOneDocumentHasAreWhollyChanged() {
        TestProject project = Api.newProject();
        String baseline = succeeded(project, PAGE, null);
        JsonPath longer = awaitTerminal(project, create(project, PAGE + SECOND_PAGE, baseline));
        assertThat(longer.getString("job.status")).isEqualTo("succeeded");
        assertThat(longer.getBoolean("diff.pageCountChanged")).isTrue();
        assertThat(longer.getInt("diff.pageCount")).isEqualTo(2);
        assertThat(longer.getInt("diff.baselinePageCount")).isEqualTo(1);
        assertThat(longer.getList("diff.changedPages", Integer.class)).containsExactly(2);
        assertThat(longer.getDouble("diff.pages[1].changedRatio")).isEqualTo(1.0);
        assertThat(longer.getDouble("diff.maxChangedRatio")).isEqualTo(1.0);

        // and the other way round: the baseline's extra page
        String twoPages = succeeded(project, PAGE + SECOND_PAGE, null);
        JsonPath shorter = awaitTerminal(project, create(project, PAGE, twoPages));
        assertThat(shorter.getList("diff.changedPages", Integer.class)).containsExactly(2);
        assertThat(shorter.getList("diff.pages")).hasSize(2);
        assertThat(shorter.getLong("diff.pages[1].changedPixels")).isEqualTo(shorter.getLong("diff.pages[1].totalPixels"));
    }

    @Test
    void aBaselineMustBeASucceededJobOfTheProjectWithItsPdf() {
        TestProject project = Api.newProject();
        TestProject other = Api.newProject();
        String foreign = succeeded(other, PAGE, null);
        // another project's job is answered exactly like an unknown one
        project.call().body(request(PAGE, foreign)).post("/v1/render-jobs").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("baseline_not_found"))
                .body("detail", equalTo("baselineJobId: render job " + foreign + " does not exist"));
        project.call().body(request(PAGE, "rj_unknown")).post("/v1/render-jobs").then().statusCode(404)
                .body("code", equalTo("baseline_not_found"))
                .body("detail", equalTo("baselineJobId: render job rj_unknown does not exist"));

        String queued = create(project, PAGE, null);
        project.call().body(request(PAGE, queued)).post("/v1/render-jobs").then().statusCode(409)
                .body("code", equalTo("baseline_not_succeeded")).body("detail", startsWith("baselineJobId: "));
        awaitTerminal(project, queued);
        project.call().delete("/v1/render-jobs/" + queued + "/output").then().statusCode(204);
        project.call().body(request(PAGE, queued)).post("/v1/render-jobs").then().statusCode(409)
                .body("code", equalTo("baseline_output_gone")).body("detail", startsWith("baselineJobId: "));
        assertThat(project.call().get("/v1/render-jobs").then().statusCode(200).extract().jsonPath()
                .getList("data")).hasSize(1);
    }

    @Test
    void theReleaseGateComparesANewVersionWithLatestBeforeLatestMoves() {
        TestProject project = Api.newProject();
        Map<String, Object> sample = Map.of("name", "Acme");
        String deployId = Api.createDeploy(project, "Gated invoice");
        String v1 = project.call().body(Map.of("html", PAGE, "samplePayload", sample))
                .post("/v1/deploys/" + deployId + "/versions").then().statusCode(201).extract().path("id");

        // unchanged: nothing differs, latest stays on v1
        JsonPath same = project.call().body(Map.of("html", PAGE, "samplePayload", sample))
                .post("/v1/deploys/" + deployId + "/versions?verify=true").then().statusCode(201).extract()
                .jsonPath();
        assertThat(same.getString("verification.status")).isEqualTo("pending");
        assertThat(same.getString("verification.baselineVersionId")).isEqualTo(v1);
        assertThat(latest(project, deployId)).isEqualTo(v1);
        JsonPath sameJob = awaitTerminal(project, same.getString("verification.jobId"));
        assertThat(sameJob.getString("job.status")).isEqualTo("succeeded");
        assertThat(sameJob.getString("job.deployVersionId")).isEqualTo(same.getString("id"));
        assertThat(sameJob.getString("diff.baselineVersionId")).isEqualTo(v1);
        assertThat(sameJob.getList("diff.changedPages")).isEmpty();
        assertThat(sameJob.getDouble("diff.maxChangedRatio")).isZero();

        // changed in one place: page 1, by the block's area
        JsonPath changed = project.call().body(Map.of("html", PAGE + BLOCK, "samplePayload", sample))
                .post("/v1/deploys/" + deployId + "/versions?verify=true").then().statusCode(201).extract()
                .jsonPath();
        JsonPath changedJob = awaitTerminal(project, changed.getString("verification.jobId"));
        assertThat(changedJob.getList("diff.changedPages", Integer.class)).containsExactly(1);
        assertThat(changedJob.getLong("diff.pages[0].changedPixels")).isBetween(BLOCK_PIXELS * 95 / 100,
                BLOCK_PIXELS * 105 / 100);
        assertThat(latest(project, deployId)).isEqualTo(v1);
        // the move stays the explicit step
        project.call().body(Map.of("versionId", changed.getString("id"))).put("/v1/deploys/" + deployId + "/latest")
                .then().statusCode(200);
        assertThat(latest(project, deployId)).isEqualTo(changed.getString("id"));

        project.call().body(Map.of("html", PAGE)).post("/v1/deploys/" + deployId + "/versions?verify=true").then()
                .statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("sample_payload_required")).body("detail", startsWith("samplePayload: "));

        String fresh = Api.createDeploy(project, "New invoice");
        JsonPath first = project.call().body(Map.of("html", PAGE, "samplePayload", sample))
                .post("/v1/deploys/" + fresh + "/versions?verify=true").then().statusCode(201).extract().jsonPath();
        assertThat(first.getString("verification.status")).isEqualTo("no_baseline");
        assertThat(first.getString("verification.jobId")).isNull();
        assertThat(latest(project, fresh)).isNull();
    }

    private static String latest(TestProject project, String deployId) {
        return project.call().get("/v1/deploys/" + deployId).then().statusCode(200).extract().path("latestVersionId");
    }

    private static Map<String, Object> request(String html, String baselineJobId) {
        Map<String, Object> request = new HashMap<>();
        request.put("html", html);
        request.put("payload", Map.of("name", "Acme"));
        request.put("options", Map.of("printBackground", true));
        if (baselineJobId != null) {
            request.put("baselineJobId", baselineJobId);
        }
        return request;
    }

    private static String create(TestProject project, String html, String baselineJobId) {
        return project.call().body(request(html, baselineJobId)).post("/v1/render-jobs").then().statusCode(202)
                .extract().path("job.id");
    }

    private static String succeeded(TestProject project, String html, String baselineJobId) {
        String jobId = create(project, html, baselineJobId);
        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");
        return jobId;
    }
}
