package io.pressroom.job.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.job.repository.JobStatus;
import io.pressroom.job.service.JobViews.EventView;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Waiting for jobs without holding a thread: sync-wait requests and live timelines park on {@link JobWatcher}.
 * A sync wait looks at the job (one indexed read) as it starts and when a notification may have been missed, and is
 * told of the job's end; a live timeline reads the new events whenever PostgreSQL says the job changed. Reads go
 * through the plain reactive pool, which works from the notification connection's context.
 */
@ApplicationScoped
public class JobWaits {

    private static final Set<String> TERMINAL_EVENTS = Set.of("succeeded", "failed", "cancelled");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JobWatcher watcher;
    private final Instance<Pool> database;
    private final ObjectMapper json;
    /** How to end each wait now open, for the shutdown. */
    private final Set<Runnable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    public JobWaits(JobWatcher watcher, Instance<Pool> database, ObjectMapper json) {
        this.watcher = watcher;
        this.database = database;
        this.json = json;
    }

    /** Completes with {@code true} once the job is terminal, {@code false} when {@code timeout} passed first. */
    public Uni<Boolean> untilTerminal(String jobId, Duration timeout) {
        return Uni.createFrom().<Boolean> emitter(emitter -> {
            Runnable check = () -> database.get().preparedQuery("SELECT status FROM render_jobs WHERE id = $1")
                    .execute(Tuple.of(jobId))
                    .subscribe().with(rows -> {
                        if (rows.size() > 0 && JobStatus.valueOf(rows.iterator().next().getString("status"))
                                .terminal()) {
                            emitter.complete(true);
                        }
                    }, failure -> {
                        // the next notification or the deadline decides
                    });
            // the job's end is told on a channel of its own: no look at the job for its other events
            AutoCloseable watch = watcher.watchEnd(jobId, () -> emitter.complete(true), check);
            Runnable end = () -> emitter.complete(false);
            emitter.onTermination(() -> {
                open.remove(end);
                close(watch);
            });
            whileOpen(end);
            check.run();
        }).ifNoItem().after(timeout).recoverWithItem(false);
    }

    /**
     * The job's timeline after event {@code afterId}, live: past events first, then each new one as it is
     * committed on any pod; completes after the terminal event. It also completes when the job has ended and no
     * terminal event is left to send: the client resumed after it, or retention deleted an old timeline.
     */
    public Multi<EventView> follow(String jobId, long afterId) {
        return Multi.createFrom().emitter(emitter -> {
            AtomicLong last = new AtomicLong(afterId);
            Runnable fetch = () -> eventsAfter(jobId, last.get()).subscribe().with(batch -> {
                synchronized (last) {
                    for (EventView event : batch.events()) {
                        if (event.id() > last.get() && !emitter.isCancelled()) {
                            last.set(event.id());
                            emitter.emit(event);
                            if (TERMINAL_EVENTS.contains(event.type())) {
                                emitter.complete();
                                return;
                            }
                        }
                    }
                    if (batch.ended()) {
                        emitter.complete();
                    }
                }
            }, emitter::fail);
            AutoCloseable watch = watcher.watch(jobId, fetch);
            Runnable end = () -> {
                synchronized (last) {
                    emitter.complete();
                }
            };
            emitter.onTermination(() -> {
                open.remove(end);
                close(watch);
            });
            whileOpen(end);
            fetch.run();
        });
    }

    /**
     * At the start of shutdown (SIGTERM), before {@code quarkus.shutdown.delay} and the wait for open requests: every
     * sync wait answers now (its normal 202, the job still runs) and every live timeline ends (the client reconnects
     * with Last-Event-ID, to another pod), so no long request is still open, and then cut, when the server closes.
     * Waits that start during the delay end at once.
     */
    void closing(@Observes ShutdownDelayInitiatedEvent event) {
        closing = true;
        open.forEach(Runnable::run);
    }

    private void whileOpen(Runnable end) {
        open.add(end);
        if (closing) {
            end.run();
        }
    }

    /** Events after {@code afterId}, and whether the job had ended, read in one snapshot. */
    private record Batch(List<EventView> events, boolean ended) {
    }

    private Uni<Batch> eventsAfter(String jobId, long afterId) {
        // one statement: a job's end and its terminal event are committed together, so they are seen together
        return database.get().preparedQuery("""
                SELECT j.status, e.id, e.type, e.attempt, CAST(e.details AS text) AS details, e.at
                FROM render_jobs j LEFT JOIN job_events e ON e.job_id = j.id AND e.id > $2
                WHERE j.id = $1 ORDER BY e.id""").execute(Tuple.of(jobId, afterId))
                .map(rows -> {
                    List<EventView> events = new ArrayList<>();
                    boolean ended = false;
                    for (Row row : rows) {
                        ended = JobStatus.valueOf(row.getString("status")).terminal();
                        if (row.getLong("id") != null) {
                            events.add(new EventView(row.getLong("id"), row.getString("type"),
                                    row.getInteger("attempt"), row.getOffsetDateTime("at").toInstant().toEpochMilli(),
                                    parse(row.getString("details"))));
                        }
                    }
                    return new Batch(events, ended);
                });
    }

    private Map<String, Object> parse(String details) {
        try {
            return details == null ? Map.of() : json.readValue(details, MAP);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static void close(AutoCloseable watch) {
        try {
            watch.close();
        } catch (Exception ignored) {
            // removing a watcher cannot fail
        }
    }

}
