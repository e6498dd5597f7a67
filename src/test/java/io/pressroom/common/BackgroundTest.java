package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/** A run that never ends (a statement on a half-open connection) does not stop the loop for good. */
class BackgroundTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.closeAndAwait();
    }

    @Test
    void aRunThatNeverEndsIsGivenUpAndTheNextOneRuns() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(1);
        Background loop = new Background(vertx, "test loop", Duration.ofMillis(300), () -> {
            if (runs.incrementAndGet() == 1) {
                return Uni.createFrom().nothing(); // stuck
            }
            second.countDown();
            return Uni.createFrom().item(false);
        });
        loop.every(Duration.ofMillis(100));
        try {
            assertThat(second.await(5, TimeUnit.SECONDS)).as("a run after the stuck one").isTrue();
        } finally {
            loop.stop();
        }
    }
}
