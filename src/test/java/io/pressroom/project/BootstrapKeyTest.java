package io.pressroom.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pressroom.project.service.ApiKeys;
import io.pressroom.project.service.ProjectService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;

/**
 * The bootstrap key is ensured by every API pod at start-up: pods starting at once must all start, with one project
 * and one key between them.
 */
@QuarkusTest
class BootstrapKeyTest {

    private static final int PODS = 6;

    @Inject
    ProjectService projects;

    @Test
    void podsStartingAtOnceCreateTheBootstrapKeyOnce() throws Exception {
        String key = ApiKeys.generate();
        ExecutorService pods = Executors.newFixedThreadPool(PODS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> created = new ArrayList<>();
            for (int i = 0; i < PODS; i++) {
                created.add(pods.submit(() -> {
                    start.await();
                    try {
                        return VertxContextSupport.subscribeAndAwait(() -> projects.ensureBootstrapKey("race", key));
                    } catch (Throwable failure) {
                        throw new AssertionError("a pod failed to ensure the bootstrap key", failure);
                    }
                }));
            }
            start.countDown();
            int creators = 0;
            for (Future<Boolean> pod : created) {
                creators += pod.get() ? 1 : 0; // a failure here is a pod that would not start
            }
            assertThat(creators).isEqualTo(1);
        } finally {
            pods.shutdownNow();
        }
        RestAssured.given().header("Authorization", "Bearer " + key).get("/v1/deploys").then().statusCode(200)
                .body("data.size()", equalTo(0));
    }
}
