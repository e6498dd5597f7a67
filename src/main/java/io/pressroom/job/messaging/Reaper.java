package io.pressroom.job.messaging;

import java.util.function.Function;

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
 * API role: keeps jobs moving. It only finds jobs; each finding goes to {@link JobTransitions} as a signal of the
 * state machine: retries whose time has come show as {@code queued} again ({@code RetryDue}), and jobs past their
 * deadline — a command or event lost, a renderer gone mid-render — are re-driven ({@code Overdue}), so no accepted
 * job is ever left stuck.
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

    /** retry_scheduled → queued once the retry is due (its command is already in the outbox, due at that time). */
    Uni<Void> promoteDueRetries() {
        return each("""
                SELECT id FROM render_jobs WHERE status = 'retry_scheduled' AND next_attempt_at <= now()
                ORDER BY next_attempt_at LIMIT 100""", transitions::retryDue);
    }

    Uni<Void> reapOverdue() {
        return each("""
                SELECT id FROM render_jobs
                WHERE status IN ('queued', 'rendering', 'retry_scheduled') AND deadline_at < now()
                ORDER BY deadline_at LIMIT 100""", transitions::overdue);
    }

    /**
     * Signals each job the query finds, one at a time, through the job service; each finding is checked again
     * under the job's lock, and one job that cannot be signalled does not hold up the others.
     */
    private Uni<Void> each(String query, Function<String, Uni<Void>> signal) {
        return database.get().query(query).execute()
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(row -> ((Row) row).getString("id"))
                .onItem().transformToUniAndConcatenate(id -> signal.apply(id)
                        .onFailure().invoke(f -> LOG.warnf(f, "Could not re-drive %s", id))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }
}
