package io.pressroom.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.TightHttpLimits;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** A project over its request rate gets 429 with Retry-After, other projects do not notice, and it recovers. */
@QuarkusTest
@TestProfile(TightHttpLimits.class)
class RateLimitTest {

    @Test
    void aProjectOverItsRateIsToldWhenToComeBack() throws Exception {
        TestProject busy = Api.newProject();
        TestProject quiet = Api.newProject();
        int accepted = 0;
        Response refused = null;
        long start = System.nanoTime();
        for (int i = 0; i < 40 && refused == null; i++) {
            Response response = busy.call().get("/v1/render-jobs");
            if (response.statusCode() == 429) {
                refused = response;
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
                accepted++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // the burst, and at most what refilled (2 a second) while the loop ran, however slow the machine
        assertThat(accepted).as("accepted in %.1f s", seconds).isBetween(5, 5 + (int) Math.ceil(seconds * 2) + 1);
        assertThat(refused).isNotNull();
        refused.then().contentType("application/problem+json").body("code", equalTo("rate_limited"),
                "status", equalTo(429));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 2L);

        // a refused create does nothing: creates until one is refused (a token may have refilled meanwhile; on a
        // loaded machine a create can take longer than a refill, so the loop is long enough to outrun it)
        int created = 0;
        int status = 0;
        for (int i = 0; i < 200 && status != 429; i++) {
            status = busy.call().body(Map.of("html", "<p>x</p>")).post("/v1/render-jobs").statusCode();
            assertThat(status).isIn(202, 429);
            created += status == 202 ? 1 : 0;
        }
        assertThat(status).isEqualTo(429);
        quiet.call().get("/v1/render-jobs").then().statusCode(200);

        Thread.sleep(retryAfter * 1000);
        busy.call().get("/v1/render-jobs").then().statusCode(200).body("data.size()", equalTo(created));
    }
}
