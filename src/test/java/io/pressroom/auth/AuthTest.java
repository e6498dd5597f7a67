package io.pressroom.auth;

import static io.pressroom.testing.Api.admin;
import static io.pressroom.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pressroom.common.Notifications;
import io.pressroom.project.service.ApiKeys;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.NotificationConnection;
import io.pressroom.testing.Signals;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class AuthTest {

    @Inject
    Pool database;

    @Inject
    Notifications notifications;

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

    /** The key's hash revoked in SQL, as an operator might by hand; {@code first} runs in the same transaction. */
    private void revokeInSql(TestProject project, String first) {
        database.withTransaction(connection -> connection.query(first).execute()
                .chain(() -> connection.preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE id = $1")
                        .execute(Tuple.of(project.keyId()))))
                .await().indefinitely();
    }

    @Test
    void aKeyRevokedInSqlStopsWorkingAtOnceThoughPodsKeepActiveKeys() {
        TestProject project = Api.newProject();
        await().atMost(Duration.ofSeconds(10)).until(notifications::listening);
        project.call().get("/v1/deploys").then().statusCode(200); // now kept by this pod for key-cache-ttl (30 s)
        revokeInSql(project, "SELECT 1");
        // told through the trigger's NOTIFY, long before the 30 s would end
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> isUnauthorized(project.call().get("/v1/deploys").then()));
    }

    @Test
    void keysKeptAreForgottenWhenTheirRevocationMayHaveGoneUnheard() {
        TestProject project = Api.newProject();
        await().atMost(Duration.ofSeconds(10)).until(notifications::listening);
        project.call().get("/v1/deploys").then().statusCode(200);
        // the notification connection ends in the revoking transaction: its NOTIFY finds no listener on this pod
        revokeInSql(project, NotificationConnection.DROP);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> isUnauthorized(project.call().get("/v1/deploys").then()));
        await().atMost(Duration.ofSeconds(10)).until(notifications::listening);
    }

    @Test
    void aFrozenNotificationConnectionIsMadeAnewAndKeptKeysForgotten() throws Exception {
        TestProject project = Api.newProject();
        await().atMost(Duration.ofSeconds(10)).until(notifications::listening);
        project.call().get("/v1/deploys").then().statusCode(200);
        long frozen = database.query(NotificationConnection.BACKEND).execute().await().indefinitely().iterator().next()
                .getLong("pid");
        // the connection stays open and silent: no error, no close, no notification, as with a half-open one
        Signals.send("STOP", List.of(frozen));
        try {
            revokeInSql(project, "SELECT 1");
            // the check (every 5 s, 5 s to answer) drops it; the key is forgotten long before its 30 s are up
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> isUnauthorized(project.call().get("/v1/deploys").then()));
            await().atMost(Duration.ofSeconds(10)).until(() -> notifications.listening() && database
                    .preparedQuery(NotificationConnection.BACKEND + " AND pid <> $1").execute(Tuple.of(frozen))
                    .await().indefinitely().size() == 1);
        } finally {
            Signals.send("CONT", List.of(frozen));
        }
    }

    @Test
    void aKeyFoundActiveIsNotLookedUpOnEveryRequest() {
        TestProject known = Api.newProject();
        TestProject unknown = Api.newProject(); // its key is never used before the lock
        await().atMost(Duration.ofSeconds(10)).until(notifications::listening);
        known.call().get("/v1/deploys").then().statusCode(200);
        SqlConnection locker = database.getConnection().await().indefinitely();
        try {
            // while the key table is locked, a lookup waits until the request's database time (4 s) runs out
            locker.query("BEGIN; LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE").execute().await().indefinitely();
            for (int i = 0; i < 20; i++) {
                known.call().get("/v1/deploys").then().statusCode(200);
            }
            unknown.call().get("/v1/deploys").then().statusCode(503).body("code", equalTo("dependency_unavailable"));
        } finally {
            locker.query("ROLLBACK").execute().await().indefinitely();
            locker.closeAndAwait();
        }
        unknown.call().get("/v1/deploys").then().statusCode(200);
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
