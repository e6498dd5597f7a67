package io.pressroom.job.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pressroom.common.Background;
import io.pressroom.config.PressroomConfig;
import io.pressroom.job.service.OutboxSignal;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * API role: publishes outbox rows to Kafka, then marks them sent, in a transaction that holds the rows with
 * {@code FOR UPDATE SKIP LOCKED} — so several API pods share the work and no row is sent by two of them at once.
 * At-least-once: a crash between publish and commit publishes again, and consumers are idempotent. It polls, and a
 * committed state change on this pod wakes it at once.
 * <p>
 * Metrics, refreshed every {@value #BACKLOG_SECONDS} s: {@code pressroom.outbox.backlog} (messages due and not yet
 * sent) and {@code pressroom.outbox.oldest.seconds} (how long the oldest of them has been due). Both stay near 0
 * while Kafka takes messages; a growing age means commands are not reaching renderers.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;
    private static final int BACKLOG_SECONDS = 15;

    private final Instance<Pool> database;
    private final MutinyEmitter<String> commands;
    private final OutboxSignal signal;
    private final PressroomConfig config;
    private final Background relay;
    private final Background backlog;
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();
    private final MeterRegistry metrics;

    public OutboxRelay(Instance<Pool> database, @Channel("render-commands") MutinyEmitter<String> commands,
            OutboxSignal signal, PressroomConfig config, Vertx vertx, MeterRegistry metrics) {
        this.database = database;
        this.commands = commands;
        this.signal = signal;
        this.config = config;
        this.relay = new Background(vertx, "Outbox relay", config.database().backgroundRunTimeout(),
                () -> publishBatch().map(sent -> sent == BATCH));
        this.backlog = new Background(vertx, "Outbox backlog", config.database().backgroundRunTimeout(),
                () -> measureBacklog().replaceWith(false));
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        if (!config.role().runsApi()) {
            return;
        }
        signal.onWake(relay::run);
        relay.every(config.jobs().outboxPollInterval());
        // API pods only: a renderer has no outbox, and a gauge stuck at 0 there would only mislead
        Gauge.builder("pressroom.outbox.backlog", unsent, AtomicLong::get)
                .description("Outbox messages due and not yet sent to Kafka").register(metrics);
        Gauge.builder("pressroom.outbox.oldest.seconds", oldestSeconds, AtomicLong::get)
                .description("How long the oldest unsent outbox message has been due").register(metrics);
        backlog.every(Duration.ofSeconds(BACKLOG_SECONDS));
    }

    void stop(@Observes ShutdownEvent event) {
        relay.stop();
        backlog.stop();
    }

    /** Reads the unsent, due messages through the relay's own partial index. */
    Uni<Void> measureBacklog() {
        return database.get().preparedQuery("""
                SELECT count(*) AS unsent, COALESCE(EXTRACT(EPOCH FROM now() - min(available_at)), 0) AS oldest
                FROM outbox WHERE sent_at IS NULL AND available_at <= now()""").execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    unsent.set(row.getLong("unsent"));
                    oldestSeconds.set(Math.round(row.getNumeric("oldest").doubleValue()));
                })
                .replaceWithVoid();
    }

    Uni<Integer> publishBatch() {
        return database.get().withTransaction(connection -> connection.preparedQuery("""
                SELECT id, topic, message_key, CAST(payload AS text) AS payload FROM outbox
                WHERE sent_at IS NULL AND available_at <= now()
                ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED""").execute(Tuple.of(BATCH))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    List<Uni<Void>> sends = new ArrayList<>();
                    List<Long> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getLong("id"));
                        sends.add(send(row.getString("topic"), row.getString("message_key"),
                                row.getString("payload")));
                    }
                    return Uni.join().all(sends).andFailFast()
                            .chain(() -> connection.preparedQuery(
                                    "UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1)")
                                    .execute(Tuple.of(ids.toArray(Long[]::new))))
                            .replaceWith(ids.size());
                }));
    }

    private Uni<Void> send(String topic, String key, String payload) {
        Message<String> message = Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String> builder()
                .withTopic(topic).withKey(key).build());
        return commands.sendMessage(message).ifNoItem().after(Duration.ofSeconds(30)).fail();
    }
}
