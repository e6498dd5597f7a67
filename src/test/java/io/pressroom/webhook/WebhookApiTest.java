package io.pressroom.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** {@code /v1/webhooks}: endpoints with their secret shown once, the per-job secret, input errors, isolation. */
@QuarkusTest
class WebhookApiTest {

    /**
     * A public address, so accepted; a literal, so nothing is looked up; and never contacted, since no job of these
     * projects ends. (A name such as example.com would be resolved when given: a DNS query off this machine.)
     */
    private static final String PUBLIC = "https://93.184.215.14";

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    @Test
    void anEndpointShowsItsSecretOnceAndCanBeDeleted() {
        JsonPath created = project.call()
                .body(Map.of("url", PUBLIC + "/hooks", "events", List.of("job.failed")))
                .post("/v1/webhooks").then().statusCode(201)
                .header("Location", containsString("/v1/webhooks/wh_"))
                .body("url", equalTo(PUBLIC + "/hooks"), "events", equalTo(List.of("job.failed")))
                .extract().jsonPath();
        String id = created.getString("id");
        assertThat(id).startsWith("wh_");
        assertThat(created.getString("secret")).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(created.getString("secret").substring(6))).hasSize(32);

        // events default to all five
        String all = project.call().body(Map.of("url", "http://[2606:4700:4700::1111]/all")).post("/v1/webhooks")
                .then().statusCode(201)
                .body("events", equalTo(List.of("job.succeeded", "job.failed", "job.cancelled", "batch.succeeded",
                        "batch.failed")))
                .extract().path("id");

        project.call().get("/v1/webhooks/" + id).then().statusCode(200)
                .body("id", equalTo(id), "url", equalTo(PUBLIC + "/hooks"), "$", not(hasKey("secret")));
        project.call().get("/v1/webhooks").then().statusCode(200)
                .body("data.id", equalTo(List.of(id, all)), "data[0]", not(hasKey("secret")),
                        "data[0].events", equalTo(List.of("job.failed")));

        project.call().delete("/v1/webhooks/" + id).then().statusCode(204);
        project.call().delete("/v1/webhooks/" + id).then().statusCode(404).body("code", equalTo("not_found"));
        project.call().get("/v1/webhooks").then().statusCode(200).body("data.id", equalTo(List.of(all)));
    }

    @Test
    void badInputIsA400NamingTheField() {
        expect400(Map.of("events", List.of("job.failed")), "url: must not be blank");
        expect400(Map.of("url", "ftp://example.com/x"), "url: must be an absolute http(s) URL");
        expect400(Map.of("url", "https:///no-host"), "url: must be an absolute http(s) URL");
        expect400(Map.of("url", "https://example.com", "events", List.of("job.done")),
                "events[0]: must be one of job.succeeded, job.failed, job.cancelled, batch.succeeded, batch.failed");
        expect400(Map.of("url", "https://example.com", "events", List.of()), "events: size must be between 1 and 5");
        expect400(Map.of("url", "https://example.com", "events", List.of("job.failed", "job.failed")),
                "events: lists an event twice");
        project.call().body(Map.of("html", "<p>x</p>", "webhookUrl", "http://")).post("/v1/render-jobs")
                .then().statusCode(400).body("detail", startsWith("webhookUrl: "));
        project.call().body(Map.of("html", "<p>x</p>", "webhookUrl", "http:// spaces in it")).post("/v1/render-jobs")
                .then().statusCode(400).body("detail", equalTo("webhookUrl: must be an absolute http(s) URL"));
    }

    @Test
    void aProjectHasAtMostTwentyEndpoints() {
        for (int i = 0; i < 20; i++) {
            project.call().body(Map.of("url", PUBLIC + "/hooks/" + i)).post("/v1/webhooks").then().statusCode(201);
        }
        project.call().body(Map.of("url", PUBLIC + "/hooks/20")).post("/v1/webhooks").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("too_many_webhooks"), "detail",
                        equalTo("the project has 20 webhook endpoints, the most allowed; delete one before creating "
                                + "another"));
        assertThat(project.call().get("/v1/webhooks").then().statusCode(200).extract().<List<String>> path("data.url")
                .size()).isEqualTo(20);
        // another project is not affected, and a deleted endpoint makes room
        Api.newProject().call().body(Map.of("url", PUBLIC + "/other")).post("/v1/webhooks").then().statusCode(201);
        String first = project.call().get("/v1/webhooks").then().extract().path("data[0].id");
        project.call().delete("/v1/webhooks/" + first).then().statusCode(204);
        project.call().body(Map.of("url", PUBLIC + "/hooks/20")).post("/v1/webhooks").then().statusCode(201);
    }

    @Test
    void anotherProjectsEndpointIsNotFound() {
        String theirs = Api.newProject().call().body(Map.of("url", PUBLIC + "/theirs"))
                .post("/v1/webhooks").then().statusCode(201).extract().path("id");
        project.call().get("/v1/webhooks/" + theirs).then().statusCode(404).body("code", equalTo("not_found"));
        project.call().delete("/v1/webhooks/" + theirs).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("not_found"),
                        "detail", equalTo("webhook " + theirs + " does not exist"));
        project.call().get("/v1/webhooks").then().statusCode(200).body("data", equalTo(List.of()));
    }

    @Test
    void theJobSecretIsMadeOnceAndIsTheProjectsOwn() {
        String first = project.call().get("/v1/webhooks/job-secret").then().statusCode(200).extract().path("secret");
        assertThat(first).startsWith("whsec_");
        project.call().get("/v1/webhooks/job-secret").then().statusCode(200).body("secret", equalTo(first));
        String other = Api.newProject().call().get("/v1/webhooks/job-secret").then().statusCode(200)
                .extract().path("secret");
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void webhooksNeedAProjectKey() {
        given().get("/v1/webhooks").then().statusCode(401);
        given().get("/v1/webhooks/job-secret").then().statusCode(401);
        Api.admin().body(Map.of("url", "https://example.com")).post("/v1/webhooks").then().statusCode(401);
    }

    private void expect400(Map<String, Object> body, String detail) {
        project.call().body(body).post("/v1/webhooks").then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("invalid_request"), "detail", equalTo(detail));
    }
}
