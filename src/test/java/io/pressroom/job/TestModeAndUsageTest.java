package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.common.Ids;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Pdfs;
import io.pressroom.testing.Pdfs.Pdf;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Test mode, usage and the monthly page quota on the real stack (issue 14, points 3 and 4): test jobs carry a TEST
 * watermark the text layer shows, are flagged in reads and lists, and count apart from everything the plan counts.
 */
@QuarkusTest
class TestModeAndUsageTest {

    private static final Path BENCH = Path.of("/work/shared/bench");

    private TestProject project;

    @Inject
    Pool database;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    @Test
    void aTestJobIsWatermarkedOnEveryPageAndFlaggedWhereItIsRead() {
        String test = create(pages(2), true);
        String normal = create(pages(2), false);

        Pdf testPdf = pdfOf(test);
        assertThat(testPdf.pages()).isEqualTo(2);
        for (String page : testPdf.pageTexts()) {
            assertThat(page).contains("PAGEMARK").contains("TEST");
        }
        Pdf normalPdf = pdfOf(normal);
        assertThat(normalPdf.text()).contains("PAGEMARK").doesNotContain("TEST");

        project.call().get("/v1/render-jobs/" + test).then().body("job.test", equalTo(true));
        project.call().get("/v1/render-jobs/" + normal).then().body("job.test", equalTo(false));
        assertThat(listed("?test=true")).containsExactly(test);
        assertThat(listed("?test=false")).containsExactly(normal);
        assertThat(listed("")).containsExactly(normal, test);
    }

    @Test
    void usageCountsNormalJobsAndTestJobsApart() {
        List<String> jobs = List.of(create(pages(1), false), create(pages(3), false), create(pages(2), true));
        jobs.forEach(job -> assertThat(awaitTerminal(project, job).getString("job.status")).isEqualTo("succeeded"));

        JsonPath usage = project.call().get("/v1/usage").then().statusCode(200).extract().jsonPath();
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        assertThat(usage.getString("from")).isEqualTo(month.atDay(1) + "T00:00:00Z");
        assertThat(usage.getString("to")).isEqualTo(month.plusMonths(1).atDay(1) + "T00:00:00Z");
        assertThat(usage.getLong("jobs.succeeded")).isEqualTo(2);
        assertThat(usage.getLong("jobs.failed")).isZero();
        assertThat(usage.getLong("pages")).isEqualTo(4);
        assertThat(usage.getDouble("renderSeconds")).isPositive();
        assertThat(usage.getLong("bytesStored")).isPositive();
        assertThat(usage.getLong("test.jobs.succeeded")).isEqualTo(1);
        assertThat(usage.getLong("test.pages")).isEqualTo(2);
        assertThat(usage.getLong("test.bytesStored")).isPositive();

        // another project's usage holds none of it; a period before the jobs neither
        Api.newProject().call().get("/v1/usage").then().statusCode(200).body("pages", equalTo(0),
                "jobs.succeeded", equalTo(0), "test.pages", equalTo(0));
        project.call().get("/v1/usage?from=2020-01-01&to=2020-01-31").then().statusCode(200)
                .body("from", equalTo("2020-01-01T00:00:00Z"), "to", equalTo("2020-02-01T00:00:00Z"),
                        "pages", equalTo(0), "jobs.succeeded", equalTo(0));
    }

    @Test
    void aBadUsagePeriodIsRefused() {
        for (String query : List.of("?from=yesterday", "?from=2026-12-02&to=2026-12-01",
                "?from=2020-01-01T00:00:00Z&to=2021-01-02T00:00:01Z", "?to=2026-13-01")) {
            project.call().get("/v1/usage" + query).then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("invalid_request"));
        }
    }

    /**
     * The quota's count (V25) files a job's pages under the month its id was made in, as the quota's and the usage's
     * id ranges do: at every instant, the lowest id of that millisecond belongs to the instant's month (UTC).
     */
    @Test
    void theQuotasCountFilesAJobUnderTheMonthOfItsId() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Long> instants = new ArrayList<>();
        for (String first : List.of("2026-12-01", "2027-01-01", "2028-03-01")) {
            long start = LocalDate.parse(first).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            instants.addAll(List.of(start, start - 1, start + 1));
        }
        for (int i = 0; i < 50; i++) { // 2020 to 2060
            instants.add(1_577_836_800_000L + (long) (random.nextDouble() * 1_262_304_000_000L));
        }
        for (long at : instants) {
            String id = Ids.lowestAt(Ids.RENDER_JOB, at);
            String month = database.preparedQuery("SELECT CAST(job_month($1) AS text)").execute(Tuple.of(id)).await()
                    .indefinitely().iterator().next().getString(0);
            assertThat(month).as("seed %d, %s (%d)", seed, id, at)
                    .isEqualTo(YearMonth.from(Instant.ofEpochMilli(at).atZone(ZoneOffset.UTC)).atDay(1).toString());
        }
    }

    @Test
    void aProjectOverItsMonthlyPageQuotaGets402ButTestJobsStillPass() {
        String path = "/v1/projects/" + project.id();
        project.call().body(Map.of("monthlyPageQuota", 2)).patch(path).then().statusCode(401);
        Api.admin().body(Map.of("monthlyPageQuota", -1)).patch(path).then().statusCode(400);
        Api.admin().body(Map.of("monthlyPageQuota", 2)).patch(path).then().statusCode(200)
                .body("id", equalTo(project.id()), "monthlyPageQuota", equalTo(2));

        String first = create(pages(2), false);
        assertThat(awaitTerminal(project, first).getString("job.status")).isEqualTo("succeeded");

        String resets = YearMonth.now(ZoneOffset.UTC).plusMonths(1).atDay(1).atStartOfDay()
                .toInstant(ZoneOffset.UTC).toString();
        project.call().body(request(pages(1), false)).post("/v1/render-jobs").then().statusCode(402)
                .contentType("application/problem+json")
                .body("code", equalTo("quota_exceeded"), "quota", equalTo(2), "used", equalTo(2),
                        "resetsAt", equalTo(resets));
        assertThat(listed("")).as("the refused create stored nothing").containsExactly(first);

        create(pages(1), true);

        // a job still queued or rendering counts as one page at least
        Api.admin().body(Map.of("monthlyPageQuota", 3)).patch(path).then().statusCode(200);
        create(pages(1), false);
        project.call().body(request(pages(1), false)).post("/v1/render-jobs").then().statusCode(402)
                .body("used", equalTo(3));

        Map<String, Object> clear = new HashMap<>();
        clear.put("monthlyPageQuota", null);
        Api.admin().body(clear).patch(path).then().statusCode(200).body("monthlyPageQuota", nullValue());
        create(pages(1), false);
    }

    @Test
    void anEstimateAnswersTheReportsPagesAndStoresNoJob() throws Exception {
        String report = Files.readString(BENCH.resolve("report.html"), StandardCharsets.UTF_8);
        Api.admin().body(Map.of("monthlyPageQuota", 1)).patch("/v1/projects/" + project.id()).then().statusCode(200);

        project.call().body(Map.of("html", report)).post("/v1/render-jobs/estimate").then().statusCode(200)
                .body("pages", equalTo(21), "costUnits", equalTo(21));

        assertThat(listed("")).as("no job in the list").isEmpty();
        project.call().get("/v1/usage").then().statusCode(200).body("jobs.succeeded", equalTo(0),
                "pages", equalTo(0), "test.jobs.succeeded", equalTo(0), "test.pages", equalTo(0));
        create(pages(1), false); // nor in the quota

        project.call().body(Map.of("html", "{{#if}}")).post("/v1/render-jobs/estimate").then().statusCode(400)
                .body("code", equalTo("template_error"));
        project.call().body(Map.of("html", "<p>x</p>", "bogus", 1)).post("/v1/render-jobs/estimate").then()
                .statusCode(400).body("code", equalTo("invalid_request"));
        assertThat(listed("")).hasSize(1);
    }

    /** {@code count} pages, each with a word that is not TEST. */
    private static String pages(int count) {
        StringBuilder html = new StringBuilder("<style>p { margin: 0; page-break-after: always }</style>");
        for (int page = 0; page < count; page++) {
            html.append("<p>PAGEMARK ").append(page + 1).append("</p>");
        }
        return html.toString();
    }

    private static Map<String, Object> request(String html, boolean test) {
        Map<String, Object> request = new HashMap<>();
        request.put("html", html);
        if (test) {
            request.put("test", true);
        }
        return request;
    }

    private String create(String html, boolean test) {
        return project.call().body(request(html, test)).post("/v1/render-jobs").then().statusCode(202)
                .extract().path("job.id");
    }

    private List<String> listed(String query) {
        return project.call().get("/v1/render-jobs" + query).then().statusCode(200).extract().jsonPath()
                .getList("data.id");
    }

    private Pdf pdfOf(String jobId) {
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("succeeded");
        return Pdfs.read(project.call().get("/v1/render-jobs/" + jobId + "/output").then().statusCode(200)
                .extract().asByteArray());
    }

}
