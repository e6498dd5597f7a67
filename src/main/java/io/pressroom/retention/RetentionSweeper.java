package io.pressroom.retention;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.pressroom.common.Background;
import io.pressroom.config.PressroomConfig;
import io.pressroom.job.service.JobRetention;
import io.pressroom.retention.RetentionMetrics.Kind;
import io.pressroom.webhook.service.WebhookRetention;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * API role: deletes finished work once its age in {@code pressroom.retention.*} is up — sent outbox messages,
 * expired Idempotency-Key records, finished webhook deliveries, old timelines — so those tables stop growing with
 * every job. Each run deletes one batch of each kind; while any batch comes back full it runs again at once, so a
 * backlog drains in short statements rather than one long one. Every API pod sweeps; the deletes skip rows another
 * pod holds, so running side by side is safe.
 */
@ApplicationScoped
public class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);
    /** A statement stuck on a half-open connection must not stop the sweeps for good: Background runs one at once. */
    private static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(1);

    private final JobRetention jobs;
    private final WebhookRetention webhooks;
    private final RetentionMetrics metrics;
    private final PressroomConfig config;
    private final PressroomConfig.Retention settings;
    private final Background sweeps;

    public RetentionSweeper(JobRetention jobs, WebhookRetention webhooks, RetentionMetrics metrics,
            PressroomConfig config, Vertx vertx) {
        this.jobs = jobs;
        this.webhooks = webhooks;
        this.metrics = metrics;
        this.config = config;
        this.settings = config.retention();
        this.sweeps = new Background(vertx, "Retention sweep", config.database().backgroundRunTimeout(),
                this::sweep);
    }

    void start(@Observes StartupEvent event) {
        if (!config.role().runsApi()) {
            return;
        }
        metrics.register();
        if (!settings.interval().isZero()) {
            sweeps.every(settings.interval());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        sweeps.stop();
    }

    /** One batch of each kind that is on; completes with {@code true} when a batch was full (more is waiting). */
    Uni<Boolean> sweep() {
        int batch = Math.max(1, settings.batchSize());
        return once(Kind.outbox, !settings.sentOutboxAge().isZero(),
                () -> jobs.deleteSentOutbox(settings.sentOutboxAge(), batch), batch)
                .chain(full -> once(Kind.idempotency_records, settings.expiredIdempotencyKeys(),
                        () -> jobs.deleteExpiredIdempotencyRecords(batch), batch).map(more -> full || more))
                .chain(full -> once(Kind.webhook_deliveries, !settings.webhookDeliveryAge().isZero(),
                        () -> webhooks.deleteFinished(settings.webhookDeliveryAge(), batch), batch)
                        .map(more -> full || more))
                .chain(full -> once(Kind.job_events, !settings.timelineAge().isZero(),
                        () -> jobs.deleteOldTimelines(settings.timelineAge(), batch), batch)
                        .map(more -> full || more))
                .chain(full -> once(Kind.hidden_copies, !settings.hiddenCopyAge().isZero(),
                        () -> jobs.deleteAbandonedCopies(settings.hiddenCopyAge(), batch), batch)
                        .map(more -> full || more))
                .chain(full -> once(Kind.batch_outputs, !settings.batchOutputAge().isZero(),
                        () -> jobs.expireBatchOutputs(settings.batchOutputAge(), batch), batch)
                        .map(more -> full || more));
    }

    /** One delete; a failure is logged and leaves the other kinds to run. Completes with whether the batch was full. */
    private Uni<Boolean> once(Kind kind, boolean on, Supplier<Uni<Integer>> delete, int batch) {
        if (!on) {
            return Uni.createFrom().item(false);
        }
        return delete.get().ifNoItem().after(STATEMENT_TIMEOUT).fail()
                .map(deleted -> {
                    metrics.deleted(kind, deleted);
                    return deleted >= batch;
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Retention sweep of %s failed: %s", kind, failure.getMessage());
                    return false;
                });
    }
}
