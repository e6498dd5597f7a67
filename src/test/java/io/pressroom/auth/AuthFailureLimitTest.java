package io.pressroom.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pressroom.project.service.ApiKeys;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.TightHttpLimits;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A client address that sends wrong keys is refused with 429 before the database is asked: counted where it counts,
 * in PostgreSQL's own statistics of the key table. Other addresses, told apart by the X-Forwarded-For of a trusted
 * proxy (the test client on loopback plays the proxy; the addresses are documentation ones, nothing is sent to them),
 * keep working.
 */
@QuarkusTest
@TestProfile(TightHttpLimits.class)
class AuthFailureLimitTest {

    private static final int BURST = TightHttpLimits.AUTH_FAILURE_BURST;
    /** PostgreSQL 15+ backends publish their table statistics when idle, at the latest 10 s later. */
    private static final Duration STATS_DELAY = Duration.ofSeconds(12);

    @Inject
    Pool database;

    @Test
    void wrongKeysFromOneAddressAreRefusedWithoutAskingTheDatabase() throws Exception {
        TestProject project = Api.newProject();
        // backends publish their statistics late: let those of the set-up arrive before counting from here
        Thread.sleep(STATS_DELAY.toMillis());
        long before = keyTableScans();

        for (int i = 0; i < BURST; i++) {
            from("198.51.100.7", ApiKeys.generate()).get("/v1/render-jobs").then().statusCode(401);
        }
        // each of those looked its key up: the count shows it, so the count below could show more
        await().atMost(STATS_DELAY).until(() -> keyTableScans() >= before + BURST);
        Thread.sleep(STATS_DELAY.toMillis()); // and every backend's share of them
        long afterBurst = keyTableScans();

        for (int i = 0; i < 20; i++) {
            Response refused = from("198.51.100.7", ApiKeys.generate()).get("/v1/render-jobs");
            refused.then().statusCode(429).contentType("application/problem+json")
                    .body("code", equalTo("too_many_auth_failures"), "status", equalTo(429));
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        }
        // a right key from the refused address waits too: telling it apart would need the lookup
        from("198.51.100.7", project.key()).get("/v1/render-jobs").then().statusCode(429);
        Thread.sleep(STATS_DELAY.toMillis());
        assertThat(keyTableScans()).as("key lookups after the limit").isEqualTo(afterBurst);

        // another address, with the right key and with a wrong one, is not affected
        from("203.0.113.9", project.key()).get("/v1/render-jobs").then().statusCode(200);
        from("203.0.113.9", ApiKeys.generate()).get("/v1/render-jobs").then().statusCode(401);
        from("203.0.113.9", project.key()).get("/v1/render-jobs").then().statusCode(200);
    }

    private static io.restassured.specification.RequestSpecification from(String address, String key) {
        return Api.as(key).header("X-Forwarded-For", address);
    }

    /** Every read of api_keys, by index or by scan, as PostgreSQL counted them. */
    private long keyTableScans() {
        return database.query("SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) AS scans "
                + "FROM pg_stat_user_tables WHERE relname = 'api_keys'").execute().await().indefinitely()
                .iterator().next().getLong("scans");
    }
}
