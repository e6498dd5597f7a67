package io.pressroom.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pressroom.common.Causes;
import io.pressroom.config.PressroomConfig;
import io.pressroom.render.browser.ChromiumProbe;
import io.pressroom.storage.ObjectStorage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.health.registry.HealthRegistries;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The health checks of the role this process runs, named for what they probe.
 * <p>
 * Readiness means "this pod can do its job": {@code postgresql} on API pods (a Kafka or S3 outage leaves them ready:
 * the outbox keeps accepting jobs), {@code chromium} and {@code render-commands} (the command consumer has
 * partitions assigned) on renderers. The {@value #GROUP} group ({@code /q/health/group/dependencies}) checks every
 * dependency of the role: {@code postgresql} (API only: a renderer never opens a database connection), {@code kafka},
 * {@code s3}, {@code chromium} (renderer only). Each one's last result is the gauge {@code pressroom.dependency.up}
 * (1 up, 0 down, NaN before the first check), checked every {@code pressroom.health.dependency-check-interval}, so
 * alerts see an outage without anyone asking the group.
 */
@ApplicationScoped
public class DependencyChecks {

    /** The health group of every dependency check. */
    static final String GROUP = "dependencies";
    /** The renderer's command consumer, whose assignment readiness checks. */
    private static final String COMMANDS_CHANNEL = "render-commands-in";

    /** One dependency: its bounded probe (the item is the check's data) and its last result. */
    private record Dependency(String name, Duration timeout, Supplier<Uni<Map<String, Object>>> probe,
            AtomicReference<Double> up, AtomicBoolean checking) {

        Dependency(String name, Duration timeout, Supplier<Uni<Map<String, Object>>> probe) {
            this(name, timeout, probe, new AtomicReference<>(Double.NaN), new AtomicBoolean());
        }

        Uni<HealthCheckResponse> check() {
            return DependencyChecks.check(name, timeout, probe)
                    .invoke(response -> up.set(response.getStatus() == HealthCheckResponse.Status.UP ? 1.0 : 0.0));
        }
    }

    private final PressroomConfig config;
    private final Instance<Pool> database;
    private final KafkaAdmin kafka;
    private final KafkaClientService kafkaClients;
    private final ObjectStorage storage;
    private final ChromiumProbe chromium;
    private final MeterRegistry metrics;
    private final Vertx vertx;
    private final List<Dependency> dependencies = new ArrayList<>();
    private volatile long timer = -1;

    public DependencyChecks(PressroomConfig config, Instance<Pool> database, KafkaAdmin kafka,
            KafkaClientService kafkaClients, ObjectStorage storage, ChromiumProbe chromium, MeterRegistry metrics,
            Vertx vertx) {
        this.config = config;
        this.database = database;
        this.kafka = kafka;
        this.kafkaClients = kafkaClients;
        this.storage = storage;
        this.chromium = chromium;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    void register(@Observes StartupEvent start, @Readiness HealthRegistry readiness) {
        Duration timeout = config.kafka().healthTimeout();
        if (config.role().runsApi()) {
            Dependency postgresql = new Dependency("postgresql", timeout,
                    () -> database.get().query("SELECT 1").execute().replaceWith(Map.of()));
            dependencies.add(postgresql);
            readiness.register(postgresql.name(), postgresql::check);
        }
        dependencies.add(new Dependency("kafka", timeout, () -> blocking(() -> kafka.admin()
                .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS))));
        dependencies.add(new Dependency("s3", config.storage().healthTimeout(), () -> blocking(() -> {
            storage.probe();
            return null;
        })));
        if (config.role().runsRenderer()) {
            Dependency browser = new Dependency("chromium", config.chromium().healthTimeout(),
                    () -> blocking(chromium::version));
            dependencies.add(browser);
            readiness.register(browser.name(), browser::check);
            readiness.register("render-commands", () -> check("render-commands", timeout, this::commandsAssigned));
        }
        HealthRegistry group = HealthRegistries.getHealthGroupRegistry(GROUP);
        for (Dependency dependency : dependencies) {
            group.register(dependency.name(), dependency::check);
            Gauge.builder("pressroom.dependency.up", dependency.up(), AtomicReference::get)
                    .tag("dependency", dependency.name())
                    .description("1 when the dependency answered its last health check, 0 when it did not")
                    .register(metrics);
        }
        timer = vertx.setPeriodic(config.health().dependencyCheckInterval().toMillis(), id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Checks every dependency whose previous check has ended; the results land in the gauges. */
    private void refresh() {
        for (Dependency dependency : dependencies) {
            if (dependency.checking().compareAndSet(false, true)) {
                dependency.check().eventually(() -> dependency.checking().set(false)).subscribe().with(ignored -> {
                });
            }
        }
    }

    /**
     * UP when this process's command consumer has partitions assigned (read on its polling thread: its own state, no
     * request to the broker). A renderer without partitions cannot take work: it is still joining its group, a
     * rebalance is under way, or there are more renderers than partitions.
     */
    private Uni<Map<String, Object>> commandsAssigned() {
        List<KafkaConsumer<Object, Object>> consumers = kafkaClients.getConsumers(COMMANDS_CHANNEL);
        if (consumers.isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException("no consumer runs for " + COMMANDS_CHANNEL));
        }
        List<Uni<Integer>> assigned = new ArrayList<>();
        for (KafkaConsumer<Object, Object> consumer : consumers) {
            assigned.add(consumer.runOnPollingThread(DependencyChecks::assignedPartitions));
        }
        return Uni.join().all(assigned).andFailFast().map(counts -> {
            int partitions = counts.stream().mapToInt(Integer::intValue).sum();
            if (partitions == 0) {
                throw new IllegalStateException("no partitions of the command topics are assigned to this renderer");
            }
            return Map.of("partitions", partitions);
        });
    }

    private static int assignedPartitions(org.apache.kafka.clients.consumer.Consumer<Object, Object> consumer) {
        return consumer.assignment().size();
    }

    private static Uni<HealthCheckResponse> check(String name, Duration timeout,
            Supplier<Uni<Map<String, Object>>> probe) {
        return Uni.createFrom().deferred(() -> probe.get())
                .ifNoItem().after(timeout).fail()
                .map(data -> {
                    HealthCheckResponseBuilder up = HealthCheckResponse.named(name).up();
                    if (data != null) {
                        data.forEach((key, value) -> {
                            if (value instanceof Number number) {
                                up.withData(key, number.longValue());
                            } else {
                                up.withData(key, String.valueOf(value));
                            }
                        });
                    }
                    return up.build();
                })
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(name).down()
                        .withData("error", describe(failure)).build());
    }

    /**
     * Runs blocking work on a worker; its result is not the check's data. Work that fails after its check gave up on
     * it (its own timeout racing the check's) fails to no one: an emitter ignores what comes after its cancellation,
     * where a supplier's exception would be a dropped exception (an ERROR with a stack trace on every such probe while
     * the dependency is away).
     */
    static Uni<Map<String, Object>> blocking(Callable<?> work) {
        return Uni.createFrom().<Map<String, Object>> emitter(emitter -> {
            try {
                work.call();
                emitter.complete(Map.of());
            } catch (Exception e) {
                emitter.fail(new IllegalStateException(e.getMessage(), e)); // ignored once cancelled
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static String describe(Throwable failure) {
        Throwable root = Causes.root(failure);
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
