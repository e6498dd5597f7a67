package io.pressroom.job.service;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Tells waiters on this pod that a job changed or ended, whichever pod changed it: every timeline event's insert runs
 * {@code pg_notify('pressroom_jobs', jobId)} in its transaction, and a terminal event also
 * {@code pg_notify('pressroom_job_ended', jobId)} (a trigger, migrations V7 and V21); PostgreSQL delivers them at commit
 * to every pod's {@code LISTEN}. One dedicated connection per API pod; when it drops, every waiter is told to look
 * again (a notification may have been missed) and the connection is re-established with backoff.
 */
@ApplicationScoped
public class JobWatcher {

    public static final String CHANNEL = "pressroom_jobs";
    public static final String ENDED_CHANNEL = "pressroom_job_ended";

    private static final Logger LOG = Logger.getLogger(JobWatcher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** A watcher: what to run when its notification comes, and when one may have been missed. */
    private record Watch(Runnable heard, Runnable lookAgain) {
    }

    private final Map<String, Set<Watch>> changes = new ConcurrentHashMap<>();
    private final Map<String, Set<Watch>> ends = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final PressroomConfig config;
    private final PgConnectOptions options;
    private volatile PgConnection connection;
    private volatile boolean stopped;

    public JobWatcher(Vertx vertx, PressroomConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        this.config = config;
        this.options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", "")).setUser(user)
                .setPassword(password);
    }

    void start(@Observes StartupEvent event) {
        if (config.role().runsApi()) {
            connect(Duration.ofMillis(100));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        PgConnection current = connection;
        if (current != null) {
            current.closeAndForget();
        }
    }

    /** Calls {@code onChange} (on any thread) whenever the job may have changed, until the handle is closed. */
    public AutoCloseable watch(String jobId, Runnable onChange) {
        return add(changes, jobId, new Watch(onChange, onChange));
    }

    /**
     * Calls {@code onEnd} (on any thread) when the job ended, and {@code lookAgain} when it may have ended unheard (the
     * notification connection dropped), until the handle is closed: the job's other events are not told.
     */
    public AutoCloseable watchEnd(String jobId, Runnable onEnd, Runnable lookAgain) {
        return add(ends, jobId, new Watch(onEnd, lookAgain));
    }

    private static AutoCloseable add(Map<String, Set<Watch>> watchers, String jobId, Watch watch) {
        watchers.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(watch);
        return () -> watchers.computeIfPresent(jobId, (id, set) -> {
            set.remove(watch);
            return set.isEmpty() ? null : set;
        });
    }

    public boolean listening() {
        return connection != null;
    }

    private void connect(Duration backoff) {
        if (stopped) {
            return;
        }
        PgConnection.connect(vertx, options)
                .call(conn -> conn.query("LISTEN " + CHANNEL + "; LISTEN " + ENDED_CHANNEL).execute())
                .subscribe().with(conn -> {
                    connection = conn;
                    conn.notificationHandler(notification -> tell(
                            (ENDED_CHANNEL.equals(notification.getChannel()) ? ends : changes)
                                    .get(notification.getPayload()),
                            Watch::heard));
                    conn.closeHandler(() -> {
                        connection = null;
                        if (stopped) {
                            return; // our own close at shutdown
                        }
                        LOG.warn("Lost the PostgreSQL notification connection; reconnecting");
                        wakeAll();
                        connect(Duration.ofMillis(100));
                    });
                    // notifications sent while we were not listening are lost: have everyone look again
                    wakeAll();
                }, failure -> {
                    LOG.debugf("Could not listen for job changes: %s", failure.getMessage());
                    Duration next = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
                            : backoff.multipliedBy(2);
                    vertx.setTimer(backoff.toMillis(), id -> connect(next));
                });
    }

    private void wakeAll() {
        changes.values().forEach(set -> tell(set, Watch::lookAgain));
        ends.values().forEach(set -> tell(set, Watch::lookAgain));
    }

    private static void tell(Set<Watch> watchers, Function<Watch, Runnable> what) {
        if (watchers == null) {
            return;
        }
        for (Watch watch : watchers) {
            try {
                what.apply(watch).run();
            } catch (RuntimeException e) {
                LOG.warn("A job watcher failed", e);
            }
        }
    }
}
