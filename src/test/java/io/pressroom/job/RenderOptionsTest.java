package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static io.pressroom.testing.Pdfs.PT_PER_MM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.util.HashMap;
import java.util.Map;

import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Pdfs;
import io.pressroom.testing.Pdfs.Pdf;
import io.pressroom.testing.Pdfs.Word;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Render options through the whole pipeline (API, Kafka, renderer, storage), each asserted by its effect on the PDF
 * the client downloads.
 */
@QuarkusTest
class RenderOptionsTest {

    /** No default body margin: the page margins alone place the text. */
    private static final String STYLE = "<style>body { margin: 0; font: 20px sans-serif }</style>";

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    @Test
    void formatOrientationMarginsHeaderFooterAndPageRanges() {
        String threePages = STYLE + "<p style='margin: 0; page-break-after: always'>ALPHA</p>"
                + "<p style='margin: 0; page-break-after: always'>BRAVO</p><p style='margin: 0'>CHARLIE</p>";
        Map<String, Object> options = Map.of("format", "A5", "landscape", true,
                "margin", Map.of("top", "30mm", "right", "10mm", "bottom", "25mm", "left", "40mm"),
                "headerTemplate", "<div style='font-size: 10px; margin-left: 40mm'>HEADMARK</div>",
                "footerTemplate", "<div style='font-size: 10px; margin-left: 40mm'>FOOTMARK</div>",
                "pageRanges", "2-3");

        Pdf pdf = render(threePages, options);

        assertThat(pdf.pages()).as("pageRanges 2-3 of three pages").isEqualTo(2);
        for (int page = 0; page < pdf.pages(); page++) {
            PDRectangle size = pdf.sizes().get(page);
            // A5 is 148 × 210 mm; landscape puts the long side across
            assertThat(size.getWidth()).isCloseTo((float) (210 * PT_PER_MM), within(2f));
            assertThat(size.getHeight()).isCloseTo((float) (148 * PT_PER_MM), within(2f));
            assertThat(pdf.pageTexts().get(page)).contains("HEADMARK", "FOOTMARK");
        }
        assertThat(pdf.pageTexts().get(0)).contains("BRAVO").doesNotContain("ALPHA");
        assertThat(pdf.pageTexts().get(1)).contains("CHARLIE");

        Word bravo = pdf.find("BRAVO").orElseThrow();
        assertThat(bravo.left()).as("left margin 40mm").isCloseTo(40 * PT_PER_MM, within(3.0));
        // the glyphs sit a little below the top of their line box
        assertThat(bravo.top()).as("top margin 30mm").isBetween(30 * PT_PER_MM, 30 * PT_PER_MM + 12);
        Word header = pdf.find("HEADMARK").orElseThrow();
        Word footer = pdf.find("FOOTMARK").orElseThrow();
        assertThat(header.top()).as("the header is printed inside the top margin").isLessThan(30 * PT_PER_MM);
        assertThat(footer.top()).as("the footer is printed inside the bottom margin")
                .isGreaterThan((148 - 25) * PT_PER_MM);
    }

    @Test
    void scaleShrinksTheContent() {
        String html = STYLE + "<p style='margin: 0; font-size: 40px'>SCALEMARK</p>";
        String full = create(html, Map.of("scale", 1));
        String half = create(html, Map.of("scale", 0.5));

        Word normal = pdfOf(full).find("SCALEMARK").orElseThrow();
        Word scaled = pdfOf(half).find("SCALEMARK").orElseThrow();
        assertThat(scaled.width() / normal.width()).isCloseTo(0.5, within(0.03));
        assertThat(scaled.height() / normal.height()).isCloseTo(0.5, within(0.05));
    }

    @Test
    void javascriptSwitchAndWaits() {
        String script = "<p id='x'>JS-OFF</p><script>document.getElementById('x').textContent = 'JS-ON'</script>";
        String late = "<script>setTimeout(() => document.body.insertAdjacentHTML('beforeend',"
                + " '<p id=\"late\">LATE-NODE</p>'), 400)</script>";
        String on = create(script, Map.of());
        String off = create(script, Map.of("javascript", false));
        String selector = create(late, Map.of("waitFor", Map.of("selector", "#late")));
        String expression = create(late, Map.of("waitForExpression", "document.getElementById('late') !== null"));

        assertThat(pdfOf(on).text()).contains("JS-ON");
        assertThat(pdfOf(off).text()).contains("JS-OFF");
        assertThat(pdfOf(selector).text()).contains("LATE-NODE");
        assertThat(pdfOf(expression).text()).contains("LATE-NODE");
    }

    @Test
    void invalidOptionsAreRefusedNamingTheField() {
        project.call().body(Map.of("html", "x", "options", Map.of("margin", Map.of("top", "ten")))).post(
                "/v1/render-jobs").then().statusCode(400).body("detail", startsWith("options.margin.top"));
        project.call().body(Map.of("html", "x", "options", Map.of("scale", 3))).post("/v1/render-jobs").then()
                .statusCode(400).body("detail", startsWith("options.scale"));
        project.call().body(Map.of("html", "x", "options", Map.of("pageRanges", "first"))).post("/v1/render-jobs")
                .then().statusCode(400).body("detail", startsWith("options.pageRanges"));
        project.call().body(Map.of("html", "x", "options", Map.of("landscape", "sideways"))).post("/v1/render-jobs")
                .then().statusCode(400).body("detail", startsWith("options.landscape"));
    }

    @Test
    void unknownFieldsAreRefusedNamingTheFieldAndCreateNothing() {
        project.call().body(Map.of("html", "x", "options", Map.of("landscap", true))).post("/v1/render-jobs")
                .then().statusCode(400).body("code", equalTo("invalid_request"))
                .body("detail", startsWith("options.landscap: is not a known field"))
                .body("detail", containsString("landscape"));
        project.call().body(Map.of("html", "x", "pdfa", "2b")).post("/v1/render-jobs").then().statusCode(400)
                .body("detail", startsWith("pdfa: is not a known field"));
        project.call().body(Map.of("html", "x", "options", Map.of("margin", Map.of("tpo", "1cm"))))
                .post("/v1/render-jobs").then().statusCode(400).body("detail", startsWith("options.margin.tpo"));
        project.call().body(Map.of("name", "Invoice", "slgu", "invoice")).post("/v1/deploys").then()
                .statusCode(400).body("detail", startsWith("slgu: is not a known field"));
        project.call().get("/v1/render-jobs").then().statusCode(200).body("data", hasSize(0));
        project.call().get("/v1/deploys").then().statusCode(200).body("data", hasSize(0));
    }

    private Pdf render(String html, Map<String, Object> options) {
        return pdfOf(create(html, options));
    }

    private String create(String html, Map<String, Object> options) {
        Map<String, Object> request = new HashMap<>();
        request.put("html", html);
        request.put("options", options);
        return project.call().body(request).post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
    }

    /** Waits for the job and downloads its PDF through the API. */
    private Pdf pdfOf(String jobId) {
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("succeeded");
        Pdf pdf = Pdfs.read(project.call().get("/v1/render-jobs/" + jobId + "/output").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray());
        // these documents have no <title>: the PDF is named like its file, never after the internal bundle URL
        assertThat(pdf.title()).isEqualTo(done.getString("pdf.fileName").replaceFirst("\\.pdf$", ""));
        return pdf;
    }
}
