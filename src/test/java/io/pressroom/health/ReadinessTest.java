package io.pressroom.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.stack.InjectPostgresControl;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ReadinessTest {

    @InjectPostgresControl
    Consumer<Boolean> postgresRunning;

    @Test
    void readinessNamesEachDependencyAndFollowsPostgres() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"),
                        "checks.name", hasItems("postgresql", "kafka", "s3", "chromium"),
                        "checks.find { it.name == 'postgresql' }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        try {
            postgresRunning.accept(false);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'postgresql' }.status", equalTo("DOWN"),
                            "checks.find { it.name == 's3' }.status", equalTo("UP"),
                            "checks.find { it.name == 'kafka' }.status", equalTo("UP")));
            // liveness does not depend on PostgreSQL: a restart would not help
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            postgresRunning.accept(true);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200).body("status", equalTo("UP")));
        Api.newProject().call().get("/v1/deploys").then().statusCode(200);
    }

    @Test
    void metricsAndOpenApiAreServed() {
        given().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString("jvm_"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v1/deploys'", org.hamcrest.Matchers.notNullValue());
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
