package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;

/** A job's {@code meta}: stored, returned on every read and in the webhook, filterable, and at most 4 KB. */
@QuarkusTest
class JobMetaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    private String create(Map<String, Object> body) {
        return project.call().body(body).post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
    }

    @Test
    void metaComesBackOnEveryReadAndInTheWebhook() throws Exception {
        Map<String, Object> meta = Map.of("orderId", "A-1001", "customer", 42, "tags", List.of("eu"));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String jobId = project.call().body(Map.of("html", "<h1>Hi</h1>", "meta", meta,
                    "webhookUrl", receiver.url("/job"))).post("/v1/render-jobs")
                    .then().statusCode(202).body("job.meta.orderId", equalTo("A-1001"))
                    .extract().path("job.id");
            assertThat(awaitTerminal(project, jobId).getMap("job.meta")).isEqualTo(meta);
            project.call().get("/v1/render-jobs?meta.orderId=A-1001").then().statusCode(200)
                    .body("data[0].meta.customer", equalTo(42));

            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() == 1);
            JsonNode data = JSON.readTree(receiver.received().get(0).body()).get("data");
            assertThat(JSON.convertValue(data.get("job").get("meta"), Map.class)).isEqualTo(meta);
        }
    }

    @Test
    void theListFiltersByOneTopLevelMetaKey() {
        String first = create(Map.of("html", "<p>1</p>", "meta", Map.of("orderId", "A-1", "n", 7)));
        String second = create(Map.of("html", "<p>2</p>", "meta", Map.of("orderId", "A-2")));
        create(Map.of("html", "<p>3</p>"));

        assertThat(ids("meta.orderId=A-1")).containsExactly(first);
        assertThat(ids("meta.orderId=A-2")).containsExactly(second);
        assertThat(ids("meta.n=7")).containsExactly(first); // a number compares as its text
        assertThat(ids("meta.orderId=A-3")).isEmpty();
        assertThat(ids("meta.other=A-1")).isEmpty();

        // the index finds candidates by JSON containment; the answer keeps comparing text
        String typed = create(Map.of("html", "<p>4</p>", "meta",
                Map.of("n", "7", "flag", true, "x", 7.5, "nested", Map.of("a", 1), "none", "null")));
        assertThat(ids("meta.n=7")).containsExactly(typed, first); // the string "7" and the number 7
        assertThat(ids("meta.n=7.0")).isEmpty();
        assertThat(ids("meta.flag=true")).containsExactly(typed);
        assertThat(ids("meta.x=7.5")).containsExactly(typed);
        assertThat(idsWhere("meta.nested", "{\"a\": 1}")).containsExactly(typed); // as PostgreSQL writes it
        assertThat(idsWhere("meta.nested", "{\"a\":1}")).isEmpty();
        assertThat(ids("meta.none=null")).containsExactly(typed);
        assertThat(ids("meta.n=1e400")).isEmpty(); // JSON no double holds
        assertThat(idsWhere("meta.n", "{")).isEmpty(); // no JSON at all

        project.call().get("/v1/render-jobs?meta.orderId=A-1&meta.n=7").then().statusCode(400)
                .body("detail", containsString("meta"));
        project.call().get("/v1/render-jobs?meta.orderId=A-1&meta.orderId=A-2").then().statusCode(400)
                .body("detail", containsString("meta"));
        project.call().get("/v1/render-jobs?meta.order%20id=A-1").then().statusCode(400)
                .body("detail", containsString("meta"));
    }

    private List<String> idsWhere(String parameter, String value) {
        return project.call().queryParam(parameter, value).get("/v1/render-jobs").then().statusCode(200).extract()
                .path("data.id");
    }

    private List<String> ids(String query) {
        return project.call().get("/v1/render-jobs?" + query).then().statusCode(200).extract().path("data.id");
    }

    @Test
    void metaOver4KbOrNotAnObjectIsRefusedNamingMeta() {
        String justFits = "x".repeat(4096 - "{\"k\":\"\"}".length());
        create(Map.of("html", "<p>x</p>", "meta", Map.of("k", justFits)));
        long before = count();
        project.call().body(Map.of("html", "<p>x</p>", "meta", Map.of("k", justFits + "x")))
                .post("/v1/render-jobs").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("meta"));
        project.call().body(Map.of("html", "<p>x</p>", "meta", List.of("not", "an", "object")))
                .post("/v1/render-jobs").then().statusCode(400).body("detail", containsString("meta"));
        project.call().body(Map.of("html", "<p>x</p>", "meta", "text")).post("/v1/render-jobs")
                .then().statusCode(400).body("detail", containsString("meta"));
        assertThat(count()).isEqualTo(before);
    }

    private long count() {
        return ids("limit=100").size();
    }

    @Test
    void anIdempotentReplayKeepsTheFirstMeta() {
        Map<String, Object> body = Map.of("html", "<p>x</p>", "meta", Map.of("orderId", "A-9"));
        String jobId = project.call().header("Idempotency-Key", "meta-1").body(body).post("/v1/render-jobs")
                .then().statusCode(202).extract().path("job.id");
        project.call().header("Idempotency-Key", "meta-1").body(body).post("/v1/render-jobs")
                .then().statusCode(202).body("job.id", equalTo(jobId), "job.meta.orderId", equalTo("A-9"));
        project.call().get("/v1/render-jobs/" + jobId).then().body("job.meta.orderId", equalTo("A-9"));
    }
}
