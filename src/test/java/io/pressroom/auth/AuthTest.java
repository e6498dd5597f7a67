package io.pressroom.auth;

import static io.pressroom.testing.Api.admin;
import static io.pressroom.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pressroom.project.service.ApiKeys;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class AuthTest {

    private static void isUnauthorized(ValidatableResponse response) {
        response.statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401), "code", equalTo("unauthorized"), "title", equalTo("Unauthorized"));
    }

    @Test
    void requestsWithoutAValidKeyAre401() {
        isUnauthorized(given().get("/v1/deploys").then());
        isUnauthorized(given().header("Authorization", "Basic abc").get("/v1/deploys").then());
        isUnauthorized(as("garbage").get("/v1/deploys").then());
        isUnauthorized(as(ApiKeys.generate()).get("/v1/deploys").then());
        isUnauthorized(as(Api.ADMIN_KEY).get("/v1/deploys").then());
    }

    @Test
    void aValidKeyWorksUntilItIsRevoked() {
        TestProject project = Api.newProject();
        project.call().get("/v1/deploys").then().statusCode(200);
        // a second key of the same project keeps working after the first is revoked
        String second = admin().body(Map.of()).post("/v1/projects/" + project.id() + "/keys")
                .then().statusCode(201).extract().path("key");

        admin().delete("/v1/projects/" + project.id() + "/keys/" + project.keyId()).then().statusCode(204);

        isUnauthorized(project.call().get("/v1/deploys").then());
        as(second).get("/v1/deploys").then().statusCode(200);
    }

    @Test
    void anotherProjectsDeployAnswersExactlyLikeAMissingOne() {
        TestProject owner = Api.newProject();
        TestProject other = Api.newProject();
        String deployId = owner.call().body(Map.of("name", "Private", "slug", "private-doc")).post("/v1/deploys")
                .then().statusCode(201).extract().path("id");
        owner.call().body(Map.of("html", "<p>{{x}}</p>")).post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(201);

        for (String path : new String[] { "/v1/deploys/" + deployId, "/v1/deploys/private-doc",
                "/v1/deploys/" + deployId + "/versions", "/v1/deploys/" + deployId + "/versions/latest" }) {
            other.call().get(path).then().statusCode(404).contentType("application/problem+json")
                    .body("code", equalTo("not_found"));
            owner.call().get(path).then().statusCode(200);
        }
        other.call().body(Map.of("html", "x")).post("/v1/deploys/" + deployId + "/versions").then().statusCode(404);
        other.call().get("/v1/deploys").then().statusCode(200).body("data.id", not(hasItem(deployId)));
        // a slug is per project: the other project may use the same one
        other.call().body(Map.of("name", "Mine", "slug", "private-doc")).post("/v1/deploys").then().statusCode(201);
    }

    @Test
    void adminEndpointsNeedTheAdminKey() {
        TestProject project = Api.newProject();
        isUnauthorized(given().contentType("application/json").body(Map.of("name", "x")).post("/v1/projects").then());
        isUnauthorized(project.call().body(Map.of("name", "x")).post("/v1/projects").then());
        isUnauthorized(project.call().body(Map.of()).post("/v1/projects/" + project.id() + "/keys").then());
        isUnauthorized(project.call().delete("/v1/projects/" + project.id() + "/keys/" + project.keyId()).then());
        project.call().get("/v1/deploys").then().statusCode(200);
    }

    @Test
    void adminRequestsAreValidated() {
        admin().body(Map.of()).post("/v1/projects").then().statusCode(400)
                .contentType("application/problem+json").body("detail", startsWith("name"));
        admin().body(Map.of()).post("/v1/projects/prj_unknown/keys").then().statusCode(404);
        TestProject project = Api.newProject();
        admin().delete("/v1/projects/" + project.id() + "/keys/key_unknown").then().statusCode(404);
        TestProject other = Api.newProject();
        // a key can only be revoked through its own project
        admin().delete("/v1/projects/" + other.id() + "/keys/" + project.keyId()).then().statusCode(404);
        project.call().get("/v1/deploys").then().statusCode(200);
    }
}
