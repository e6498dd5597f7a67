package io.pressroom.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.pressroom.project.service.ApiKeys;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.TightHttpLimits;
import io.pressroom.testing.stack.InjectPostgresControl;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A client address that sends wrong keys is refused with 429 before the database is asked: shown with PostgreSQL
 * stopped, when a key that is looked up gets 503 and the refused address still gets its 429. Other addresses, told
 * apart by the X-Forwarded-For of a trusted proxy (the test client on loopback plays the proxy; the addresses are
 * documentation ones, nothing is sent to them), keep working.
 */
@QuarkusTest
@TestProfile(TightHttpLimits.class)
class AuthFailureLimitTest {

    private static final int BURST = TightHttpLimits.AUTH_FAILURE_BURST;

    @InjectPostgresControl
    Consumer<Boolean> postgresRunning;

    @Test
    void wrongKeysFromOneAddressAreRefusedWithoutAskingTheDatabase() {
        TestProject project = Api.newProject();
        for (int i = 0; i < BURST; i++) {
            from("198.51.100.7", ApiKeys.generate()).get("/v1/render-jobs").then().statusCode(401);
        }
        try {
            postgresRunning.accept(false);
            // with the database away, a key that has to be looked up cannot be: 503
            from("203.0.113.9", ApiKeys.generate()).get("/v1/render-jobs").then().statusCode(503);
            // the refused address is told 429 all the same: its keys are not looked up
            for (int i = 0; i < 20; i++) {
                Response refused = from("198.51.100.7", ApiKeys.generate()).get("/v1/render-jobs");
                refused.then().statusCode(429).contentType("application/problem+json")
                        .body("code", equalTo("too_many_auth_failures"), "status", equalTo(429));
                assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
            }
            // a right key from the refused address waits too: telling it apart would need the lookup
            from("198.51.100.7", project.key()).get("/v1/render-jobs").then().statusCode(429);
        } finally {
            postgresRunning.accept(true);
        }

        // another address, with the right key and with a wrong one, is not affected
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> from("203.0.113.9", project.key())
                .get("/v1/render-jobs").then().statusCode(200));
        from("203.0.113.9", ApiKeys.generate()).get("/v1/render-jobs").then().statusCode(401);
        from("203.0.113.9", project.key()).get("/v1/render-jobs").then().statusCode(200);
    }

    private static io.restassured.specification.RequestSpecification from(String address, String key) {
        return Api.as(key).header("X-Forwarded-For", address);
    }
}
