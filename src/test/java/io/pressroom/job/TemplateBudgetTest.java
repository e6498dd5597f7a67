package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A template merge runs under the job's render budget and an output cap (issue 11, point 2): a template bomb or a
 * helper that allocates by argument fails its job with template_error and frees its render thread, so another
 * tenant's jobs keep rendering.
 */
@QuarkusTest
class TemplateBudgetTest {

    /** Five nested loops over 400 items: 10^13 iterations. */
    private static final String BOMB = "{{#each items}}{{#each items}}{{#each items}}{{#each items}}{{#each items}}"
            + ".{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}";
    private static final Map<String, Object> ITEMS = Map.of("items", IntStream.range(0, 400).boxed().toList());

    @Test
    void aTemplateBombFailsWithTemplateErrorWithinItsRenderBudget() {
        TestProject tenant = Api.newProject();
        long start = System.nanoTime();
        String jobId = bomb(tenant);

        JsonPath done = awaitEnd(tenant, jobId, Duration.ofSeconds(30));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("failed");
        assertThat(done.getString("job.errorCode")).isEqualTo("template_error");
        assertThat(done.getString("job.errorMessage")).contains("render budget");
        assertThat(done.getInt("job.attempt")).as("not retried").isEqualTo(1);
        // 5 s of budget, then the event's way back
        assertThat(took).as("created to failed").isLessThan(Duration.ofSeconds(8));
    }

    /**
     * Blocks nested 20,000 deep overflowed the stack of Handlebars' parser on the API's event loop: a 500. They are
     * the template's error: 400 template_error, nothing created; and a partial that includes itself fails its job
     * with template_error saying so, not with a Java error's name.
     */
    @Test
    void templatesNestedTooDeeplyAreTheTemplatesError() {
        TestProject tenant = Api.newProject();
        String deep = "{{#if a}}".repeat(20_000) + "x" + "{{/if}}".repeat(20_000);
        tenant.call().body(Map.of("html", deep, "payload", Map.of("a", true))).post("/v1/render-jobs").then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("template_error"))
                .body("detail", equalTo("html: blocks or partials are nested too deeply"));
        tenant.call().get("/v1/render-jobs").then().statusCode(200).body("data.size()", equalTo(0));

        String jobId = tenant.call()
                .body(Map.of("html", "{{#*inline \"again\"}}{{> again}}{{/inline}}{{> again}}"))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        JsonPath done = awaitEnd(tenant, jobId, Duration.ofSeconds(30));
        assertThat(done.getString("job.errorCode")).as(done.prettify()).isEqualTo("template_error");
        assertThat(done.getString("job.errorMessage"))
                .isEqualTo("template merge failed: blocks or partials are nested too deeply");
    }

    @Test
    void aHelperThatWouldAllocateByArgumentFailsFast() {
        TestProject tenant = Api.newProject();
        long start = System.nanoTime();
        String jobId = tenant.call().body(Map.of("html", "<p>{{ljust \"x\" size=200000000}}</p>"))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");

        JsonPath done = awaitEnd(tenant, jobId, Duration.ofSeconds(30));
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("failed");
        assertThat(done.getString("job.errorCode")).isEqualTo("template_error");
        assertThat(done.getString("job.errorMessage")).contains("size must be at most 10000");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    /** Issue 11, "Done when": tenant B keeps rendering within 20 s while tenant A attacks. */
    @Test
    void anotherTenantKeepsRenderingWhileOneSendsOversizedCommandsAndTemplateBombs() {
        TestProject attacker = Api.newProject();
        TestProject neighbour = Api.newProject();
        String controlCharacters = "\u0001".repeat(20_000);
        for (int i = 0; i < 3; i++) {
            attacker.call().body(Map.of("html", "<p>x</p>", "payload", Map.of("text", "y".repeat(40_000)),
                    "options", Map.of("headerTemplate", controlCharacters, "footerTemplate", controlCharacters)))
                    .post("/v1/render-jobs").then().statusCode(413);
        }
        List<String> bombs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bombs.add(bomb(attacker));
        }

        long start = System.nanoTime();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(neighbour.call().body(Map.of("html", "<h1>Invoice {{n}}</h1>", "payload", Map.of("n", i)))
                    .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id"));
        }
        for (String jobId : jobs) {
            Duration left = Duration.ofSeconds(20).minus(Duration.ofNanos(System.nanoTime() - start));
            JsonPath done = awaitEnd(neighbour, jobId, left.isNegative() ? Duration.ofMillis(1) : left);
            assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("succeeded");
        }
        for (String jobId : bombs) {
            assertThat(awaitEnd(attacker, jobId, Duration.ofSeconds(60)).getString("job.errorCode"))
                    .isEqualTo("template_error");
        }
    }

    private static String bomb(TestProject tenant) {
        return tenant.call().body(Map.of("html", BOMB, "payload", ITEMS, "options", Map.of("renderTimeoutMs", 5000)))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
    }

    private static JsonPath awaitEnd(TestProject tenant, String jobId, Duration within) {
        return Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> tenant.call().get("/v1/render-jobs/" + jobId).then().statusCode(200).extract()
                        .jsonPath(),
                        job -> List.of("succeeded", "failed", "cancelled").contains(job.getString("job.status")));
    }
}
