package io.pressroom.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.pressroom.testing.Management;
import io.pressroom.testing.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * A renderer never opens a database connection: its datasource points at a canary socket that counts connection
 * attempts, and after start-up and health probes the count is still zero.
 */
@QuarkusTest
@TestProfile(RendererRoleTest.RendererRole.class)
class RendererRoleTest {

    @Inject
    KafkaClientService kafka;

    static final AtomicInteger DATABASE_CONNECTIONS = new AtomicInteger();
    static ServerSocket canary;

    public static class RendererRole implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port = openCanary();
            return Map.of("pressroom.role", "renderer",
                    "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres");
        }
    }

    static synchronized int openCanary() {
        try {
            if (canary == null) {
                canary = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Thread accept = new Thread(() -> {
                    while (!canary.isClosed()) {
                        try (Socket ignored = canary.accept()) {
                            DATABASE_CONNECTIONS.incrementAndGet();
                        } catch (IOException closed) {
                            return;
                        }
                    }
                }, "database-canary");
                accept.setDaemon(true);
                accept.start();
            }
            return canary.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void closeCanary() throws IOException {
        if (canary != null) {
            canary.close();
        }
    }

    @Test
    void rendererIsReadyWithChromiumAndItsCommandConsumerAndNeverTouchesTheDatabase() {
        // ready once Chromium answers and the command consumer has its partitions (joining the group takes a moment)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Management.given().get("/q/health/ready").then()
                .statusCode(200));
        for (int i = 0; i < 3; i++) {
            // Kafka and S3 are dependencies, not readiness
            Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"),
                    "checks.name", hasItems("chromium", "render-commands"),
                    "checks.name", not(hasItem("kafka")), "checks.name", not(hasItem("s3")),
                    "checks.name", not(hasItem("postgresql")),
                    "checks.find { it.name == 'render-commands' }.data.partitions", greaterThan(0));
            Management.given().get("/q/health/group/dependencies").then().statusCode(200).body("status",
                    equalTo("UP"), "checks.name", hasItems("kafka", "s3", "chromium"),
                    "checks.name", not(hasItem("postgresql")));
        }
        assertThat(Metrics.text()).contains("pressroom_dependency_up{dependency=\"kafka\"}")
                .doesNotContain("dependency=\"postgresql\"");
        assertThat(DATABASE_CONNECTIONS.get()).isZero();
    }

    @Test
    void rendererDoesNotServeTheConsole() {
        // the console is the API role's: a renderer has no data to show, and says nothing about keys
        for (String path : java.util.List.of("/console", "/console/jobs", "/console/assets/htmx.min.js",
                "/console/fragments/jobs")) {
            io.restassured.RestAssured.given().get(path).then().statusCode(404)
                    .contentType("application/problem+json");
        }
        assertThat(DATABASE_CONNECTIONS.get()).isZero();
    }

    @Test
    void rendererConsumesCommandsAndControlMessagesButNeverEvents() {
        // render events are the API's: a renderer in its consumer group would take partitions it cannot apply
        assertThat(kafka.getConsumerChannels()).containsExactlyInAnyOrder("render-commands-in", "render-previews-in",
                "render-control-in");
    }
}
