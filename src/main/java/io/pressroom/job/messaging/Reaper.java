package io.pressroom.job.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.pressroom.common.Background;
import io.pressroom.config.PressroomConfig;
import io.pressroom.job.service.JobTransitions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * API role: keeps jobs moving. Retries whose time has come show as {@code queued} again, and jobs past their
 * deadline — a command or event lost, a renderer gone mid-render — are re-driven through the state machine, so no
 * accepted job is ever left stuck.
 */
@ApplicationScoped
public class Reaper {

    private static final Logger LOG = Logger.getLogger(Reaper.class);

    private final Instance<Pool> database;
    private final JobTransitions transitions;
    private final PressroomConfig config;
    private final Background sweeps;

    public Reaper(Instance<Pool> database, JobTransitions transitions, PressroomConfig config, Vertx vertx) {
        this.database = database;
        this.transitions = transitions;
        this.config = config;
        this.sweeps = new Background(vertx, "Reaper", () -> promoteDueRetries().chain(this::reapOverdue)
                .replaceWith(false));
    }

    void start(@Observes StartupEvent event) {
        if (config.role().runsApi()) {
            sweeps.every(config.jobs().reaperInterval());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        sweeps.stop();
    }

    /** retry_scheduled → queued once the retry is due, with its timeline event, in one statement. */
    Uni<Void> promoteDueRetries() {
        return database.get().query("""
                WITH due AS (
                    UPDATE render_jobs SET status = 'queued', updated_at = now()
                    WHERE status = 'retry_scheduled' AND next_attempt_at <= now()
                    RETURNING id, attempt)
                INSERT INTO job_events (job_id, type, attempt, details)
                SELECT id, 'queued', attempt, '{"reason":"retry"}'::jsonb FROM due""").execute().replaceWithVoid();
    }

    Uni<Void> reapOverdue() {
        return database.get().query("""
                SELECT id FROM render_jobs
                WHERE status IN ('queued', 'rendering', 'retry_scheduled') AND deadline_at < now()
                ORDER BY deadline_at LIMIT 100""").execute()
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(row -> ((Row) row).getString("id"))
                .onItem().transformToUniAndConcatenate(id -> transitions.overdue(id)
                        .onFailure().invoke(f -> LOG.warnf(f, "Could not re-drive %s", id))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }
}
