package io.pressroom.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** A readiness probe's blocking work, as {@link DependencyChecks} runs it for Kafka and S3. */
class DependencyProbeTest {

    private final List<Throwable> dropped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void catchDroppedExceptions() {
        Infrastructure.setDroppedExceptionHandler(dropped::add);
    }

    @AfterEach
    void restore() {
        Infrastructure.resetDroppedExceptionHandler(); // a Quarkus application sets its own as it starts
    }

    @Test
    void workThatFailsAfterItsCheckGaveUpIsNotReportedAsADroppedException() throws Exception {
        // the Kafka probe: the admin client's own timeout races the check's, and loses by a little
        CountDownLatch failed = new CountDownLatch(1);
        assertThatThrownBy(() -> DependencyChecks.blocking(() -> {
            try {
                Thread.sleep(300);
                throw new java.util.concurrent.TimeoutException("describeCluster");
            } finally {
                failed.countDown();
            }
        }).ifNoItem().after(Duration.ofMillis(50)).fail().await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(TimeoutException.class);
        assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100); // past the failure's hand-over
        assertThat(dropped).isEmpty();
    }

    @Test
    void workThatFailsInTimeFailsTheCheckWithItsCause() {
        assertThatThrownBy(() -> DependencyChecks.blocking(() -> {
            throw new java.io.IOException("connection refused");
        }).await().atMost(Duration.ofSeconds(5))).isInstanceOf(IllegalStateException.class)
                .hasMessage("connection refused").hasCauseInstanceOf(java.io.IOException.class);
        assertThat(dropped).isEmpty();
    }
}
