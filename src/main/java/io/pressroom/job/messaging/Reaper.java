package io.pressroom.job.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final CommandBacklog backlog;
    private final PressroomConfig config;
    private final Background sweeps;

    public Reaper(Instance<Pool> database, JobTransitions transitions, CommandBacklog backlog, PressroomConfig config,
            Vertx vertx) {
        this.database = database;
        this.backlog = backlog;
        this.transitions = transitions;
        this.config = config;
        this.sweeps = new Background(vertx, "Reaper", config.database().backgroundRunTimeout(),
                () -> promoteDueRetries().chain(this::reapOverdue)
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

    /**
     * Jobs past their deadline. A rendering one lost its renderer. A queued one is re-sent only when its command
     * was really lost: not while it waits in the outbox for Kafka, nor while it is behind others in its queue
     * ({@link CommandBacklog}) — a backlog is never rendered twice; those keep waiting. When Kafka cannot tell,
     * nothing is re-sent this round.
     */
    Uni<Void> reapOverdue() {
        return database.get().query("""
                SELECT j.id, j.status, j.queue, EXISTS (SELECT 1 FROM outbox o WHERE o.sent_at IS NULL
                    AND o.dead_at IS NULL AND o.message_key = j.id AND o.topic LIKE 'pressroom.render.commands.%') AS unsent
                FROM render_jobs j
                WHERE j.status IN ('queued', 'rendering', 'retry_scheduled') AND j.deadline_at < now()
                ORDER BY j.deadline_at LIMIT 100""").execute().chain(rows -> {
            List<String> crashed = new ArrayList<>();
            List<String> unsent = new ArrayList<>();
            Map<String, String> sent = new LinkedHashMap<>();
            for (Row row : rows) {
                String id = row.getString("id");
                if ("rendering".equals(row.getString("status"))) {
                    crashed.add(id);
                } else if (row.getBoolean("unsent")) {
                    unsent.add(id);
                } else {
                    sent.put(id, row.getString("queue"));
                }
            }
            return each(crashed, transitions::overdue).chain(() -> each(unsent, transitions::stillWaiting))
                    .chain(() -> backlog.waiting(sent)
                            .onFailure().invoke(f -> LOG.infof("Not re-sending queued jobs this round: %s",
                                    f.getMessage()))
                            .onFailure().recoverWithItem(sent::keySet)
                            .chain(waiting -> each(List.copyOf(waiting), transitions::stillWaiting)
                                    .chain(() -> each(sent.keySet().stream().filter(id -> !waiting.contains(id))
                                            .toList(), transitions::overdue))));
        });
    }

    /**
     * Signals each job the query finds, one at a time, through the job service; each finding is checked again
     * under the job's lock, and one job that cannot be signalled does not hold up the others.
     */
    private Uni<Void> each(String query, Function<String, Uni<Void>> signal) {
        return database.get().query(query).execute().chain(rows -> {
            List<String> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(row.getString("id")));
            return each(ids, signal);
        });
    }

    private Uni<Void> each(List<String> ids, Function<String, Uni<Void>> signal) {
        return Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> signal.apply(id)
                        .onFailure().invoke(f -> LOG.warnf(f, "Could not re-drive %s", id))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }
}
