package io.pressroom.health;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.pressroom.config.PressroomConfig;
import io.pressroom.render.browser.ChromiumProbe;
import io.pressroom.storage.ObjectStorage;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Readiness checks named for what they probe, registered for the role this process runs: {@code postgresql}
 * (API only: a renderer never opens a database connection), {@code kafka} and {@code s3} (both roles),
 * {@code chromium} (renderer only).
 */
@ApplicationScoped
public class DependencyChecks {

    private final PressroomConfig config;
    private final Instance<Pool> database;
    private final KafkaAdmin kafka;
    private final ObjectStorage storage;
    private final ChromiumProbe chromium;

    public DependencyChecks(PressroomConfig config, Instance<Pool> database, KafkaAdmin kafka, ObjectStorage storage,
            ChromiumProbe chromium) {
        this.config = config;
        this.database = database;
        this.kafka = kafka;
        this.storage = storage;
        this.chromium = chromium;
    }

    void register(@Observes StartupEvent start, @Readiness HealthRegistry readiness) {
        Duration timeout = config.kafka().healthTimeout();
        if (config.role().runsApi()) {
            readiness.register("postgresql", () -> check("postgresql", timeout,
                    () -> database.get().query("SELECT 1").execute().replaceWithVoid()));
        }
        readiness.register("kafka", () -> check("kafka", timeout, () -> blocking(() -> kafka.admin()
                .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS))));
        readiness.register("s3", () -> check("s3", config.storage().healthTimeout(), () -> blocking(() -> {
            storage.probe();
            return null;
        })));
        if (config.role().runsRenderer()) {
            readiness.register("chromium",
                    () -> check("chromium", config.chromium().healthTimeout(), () -> blocking(chromium::version)));
        }
    }

    private static Uni<HealthCheckResponse> check(String name, Duration timeout, Supplier<Uni<?>> probe) {
        return Uni.createFrom().deferred(probe)
                .ifNoItem().after(timeout).fail()
                .map(ignored -> HealthCheckResponse.up(name))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(name).down()
                        .withData("error", describe(failure)).build());
    }

    private static <T> Uni<T> blocking(java.util.concurrent.Callable<T> work) {
        return Uni.createFrom().item(() -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
