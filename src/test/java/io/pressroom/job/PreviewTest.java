package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pressroom.contract.StorageKeys;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class PreviewTest {

    @Inject
    ObjectStorage storage;

    @Test
    void pngPreviewsOfEveryPage() throws Exception {
        TestProject project = Api.newProject();
        String twoPages = "<h1>Page one</h1><div style=\"page-break-after: always\"></div><h1>Page two</h1>";
        String jobId = project.call().body(Map.of("html", twoPages, "formats", List.of("pdf", "png")))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).isEqualTo("succeeded");
        assertThat(done.getInt("previews.pages")).isEqualTo(2);
        assertThat(done.getList("outputs.format")).containsExactly("pdf", "png");

        byte[] png = project.call().get("/v1/render-jobs/" + jobId + "/output/pages/2.png").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        // A4 at 96 DPI
        assertThat(image.getWidth()).isBetween(792, 796);
        assertThat(image.getHeight()).isBetween(1121, 1125);
        project.call().get("/v1/render-jobs/" + jobId + "/output/pages/3.png").then().statusCode(404)
                .body("detail", equalTo("no preview of page 3: the job has previews of pages 1 to 2"));
        project.call().get("/v1/render-jobs/" + jobId + "/output/pages/0.png").then().statusCode(404);
        Api.newProject().call().get("/v1/render-jobs/" + jobId + "/output/pages/1.png").then().statusCode(404);

        project.call().delete("/v1/render-jobs/" + jobId + "/output").then().statusCode(204);
        project.call().get("/v1/render-jobs/" + jobId + "/output/pages/1.png").then().statusCode(404);
    }

    @Test
    void aLargePageIsPreviewedWithinThePixelCap() throws Exception {
        // 90 × 90 inches is 75 megapixels at 96 DPI; pressroom.chromium.max-preview-megapixels is 16
        TestProject project = Api.newProject();
        String poster = "<style>@page { size: 90in 90in }</style><p>poster</p>";
        String jobId = project.call().body(Map.of("html", poster, "formats", List.of("pdf", "png"), "options",
                Map.of("preferCssPageSize", true))).post("/v1/render-jobs").then().statusCode(202)
                .extract().path("job.id");
        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");

        byte[] png = project.call().get("/v1/render-jobs/" + jobId + "/output/pages/1.png").then().statusCode(200)
                .extract().asByteArray();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat((long) image.getWidth() * image.getHeight()).isBetween(15_000_000L, 16_000_000L);
        assertThat(image.getWidth()).isEqualTo(image.getHeight());
    }

    @Test
    void pdfOnlyJobsHaveNoPreviewsAndUnknownFormatsAre400() {
        TestProject project = Api.newProject();
        String jobId = project.call().body(Map.of("html", "<p>pdf only</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(project, jobId).getString("previews")).isNull();
        project.call().get("/v1/render-jobs/" + jobId + "/output/pages/1.png").then().statusCode(404)
                .body("detail", startsWith("the job has no previews"));
        project.call().body(Map.of("html", "x", "formats", List.of("docx"))).post("/v1/render-jobs").then()
                .statusCode(400).body("detail", startsWith("formats"));
    }

    /**
     * Previews are made after Chromium is done and may take long (50 large pages): a job cancelled meanwhile stops
     * between two pages instead of making and storing the rest, deletes what it stored, and nothing is attached.
     */
    @Test
    void aJobCancelledWhileItsPreviewsAreMadeStopsBetweenPages() {
        TestProject project = Api.newProject();
        // every page a background of noise that does not compress: each preview is a 2.7 MB PNG
        String noise = """
                <style>@page { size: A4; margin: 0 } body { margin: 0 }
                div { height: 297mm; page-break-after: always; background-repeat: repeat }</style>
                <body><script>
                var canvas = document.createElement('canvas'); canvas.width = 1000; canvas.height = 64;
                var context = canvas.getContext('2d'); var image = context.createImageData(1000, 64);
                for (var i = 0; i < image.data.length; i++) image.data[i] = i % 4 == 3 ? 255 : Math.random() * 256;
                context.putImageData(image, 0, 0); var url = 'url(' + canvas.toDataURL() + ')';
                for (var page = 0; page < 50; page++) {
                  var div = document.createElement('div'); div.style.backgroundImage = url;
                  document.body.appendChild(div);
                }
                </script></body>""";
        String jobId = project.call().body(Map.of("html", noise, "formats", List.of("pdf", "png")))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        String prefix = StorageKeys.jobPrefix(project.id(), jobId);
        // Chromium is done and the previews are being stored
        await().atMost(Duration.ofSeconds(60)).until(() -> previewsStored(prefix) > 0);
        double cancelled = Metrics.sum("pressroom_render_commands_total", "outcome=\"cancelled\"");

        project.call().delete("/v1/render-jobs/" + jobId).then().statusCode(204);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> Metrics.sum("pressroom_render_commands_total", "outcome=\"cancelled\"") > cancelled);
        // counted as cancelled: it stopped between two pages (one that had made every page would have succeeded),
        // and deleted what it had stored: its PDF and the previews made so far
        assertThat(storage.list(prefix, null, 1000).objects()).isEmpty();
        project.call().get("/v1/render-jobs/" + jobId).then().body("job.status", equalTo("cancelled"))
                .body("output", equalTo(null));
    }

    /**
     * The render budget covers the previews too: a job whose previews would take longer (fifty pages of 40 × 40
     * inches, 14.7 megapixels each) fails with {@code render_timeout_exceeded} when it runs out, once, instead of
     * holding its render slot until the API counts the attempt as crashed and runs it again.
     */
    @Test
    void previewsEndWithTheRenderBudget() {
        TestProject project = Api.newProject();
        String posters = "<style>@page { size: 40in 40in }</style>"
                + "<p style=\"page-break-after: always\">poster</p>".repeat(50);
        long start = System.currentTimeMillis();
        String jobId = project.call().body(Map.of("html", posters, "formats", List.of("pdf", "png"), "options",
                Map.of("preferCssPageSize", true, "renderTimeoutMs", 10_000))).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).isEqualTo("failed");
        assertThat(done.getString("job.errorCode")).isEqualTo("render_timeout_exceeded");
        assertThat(done.getString("job.errorMessage"))
                .startsWith("the page previews did not finish within the render budget of 10000 ms");
        assertThat(done.getInt("job.attempt")).isEqualTo(1);
        assertThat(System.currentTimeMillis() - start).isLessThan(30_000);
        // the PDF and the previews stored before the budget ran out are deleted
        assertThat(storage.list(StorageKeys.jobPrefix(project.id(), jobId), null, 1000).objects()).isEmpty();
    }

    private int previewsStored(String prefix) {
        return (int) storage.list(prefix, null, 1000).objects().stream()
                .filter(object -> object.key().endsWith(".png")).count();
    }
}
