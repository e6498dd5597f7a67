package io.pressroom.webhook.service;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pressroom.common.Background;
import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * API role: seals again, with the current {@code pressroom.webhooks.secret-key}, every stored webhook secret sealed
 * with an earlier key (or stored in plaintext before encryption), so that the earlier key can be dropped from
 * {@code previous-secret-keys}. Runs at start and every ten minutes, a batch at a time; each row is replaced only if
 * it still holds the value read, so a rotation or another pod's run at the same moment wins. A value no listed key
 * opens is left as it is and logged.
 */
@ApplicationScoped
public class SecretReseal {

    private static final Logger LOG = Logger.getLogger(SecretReseal.class);
    private static final Duration INTERVAL = Duration.ofMinutes(10);
    private static final int BATCH = 100;

    /** Where secrets are stored. */
    private record Column(String table, String name) {
    }

    private static final List<Column> COLUMNS = List.of(new Column("webhook_endpoints", "secret"),
            new Column("webhook_endpoints", "previous_secret"), new Column("projects", "job_webhook_secret"),
            new Column("projects", "job_webhook_previous_secret"));

    private final Instance<Pool> database;
    private final SecretCipher cipher;
    private final PressroomConfig config;
    private final Counter resealed;
    private final Background runs;

    public SecretReseal(Instance<Pool> database, SecretCipher cipher, PressroomConfig config, MeterRegistry registry,
            Vertx vertx) {
        this.database = database;
        this.cipher = cipher;
        this.config = config;
        this.resealed = Counter.builder("pressroom_webhook_secrets_resealed")
                .description("Stored webhook secrets sealed again with the current pressroom.webhooks.secret-key")
                .register(registry);
        this.runs = new Background(vertx, "Webhook secret reseal", config.database().backgroundRunTimeout(),
                this::resealBatch);
    }

    void start(@Observes StartupEvent event) {
        if (config.role().runsApi()) {
            runs.run();
            runs.every(INTERVAL);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        runs.stop();
    }

    /** One batch of each column; completes with {@code true} when a batch was full (more may be waiting). */
    Uni<Boolean> resealBatch() {
        return Multi.createFrom().iterable(COLUMNS).onItem().transformToUniAndConcatenate(this::reseal)
                .collect().asList().map(counts -> counts.stream().anyMatch(count -> count >= BATCH));
    }

    private Uni<Integer> reseal(Column column) {
        String prefix = cipher.currentPrefix();
        return database.get().preparedQuery("SELECT id, " + column.name() + " FROM " + column.table() + " WHERE "
                + column.name() + " IS NOT NULL AND left(" + column.name() + ", $1) <> $2 LIMIT $3")
                .execute(Tuple.of(prefix.length(), prefix, BATCH))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> reseal(column, row))
                .collect().asList().map(done -> done.stream().mapToInt(Integer::intValue).sum());
    }

    /** Completes with 1 when the row was sealed again, 0 when it was left. */
    private Uni<Integer> reseal(Column column, Row row) {
        String id = row.getString(0);
        String stored = row.getString(1);
        String sealed;
        try {
            sealed = cipher.seal(cipher.open(stored));
        } catch (IllegalStateException e) {
            LOG.warnf("The %s.%s of %s cannot be sealed again: %s", column.table(), column.name(), id, e.getMessage());
            return Uni.createFrom().item(0);
        }
        return database.get().preparedQuery("UPDATE " + column.table() + " SET " + column.name() + " = $1 WHERE id = $2"
                + " AND " + column.name() + " = $3").execute(Tuple.of(sealed, id, stored))
                .map(rows -> {
                    resealed.increment(rows.rowCount());
                    return rows.rowCount();
                });
    }
}
