package io.pressroom.job.service;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 * Tells waiters on this pod that a job changed, whichever pod changed it: every timeline event's insert runs
 * {@code pg_notify('pressroom_jobs', jobId)} in its transaction (a trigger, migration V7), and PostgreSQL delivers it
 * at commit to every pod's {@code LISTEN}. One dedicated connection per API pod; when it drops, every waiter is woken (a
 * notification may
 * have been missed) and the connection is re-established with backoff.
 */
@ApplicationScoped
public class JobWatcher {

    public static final String CHANNEL = "pressroom_jobs";

    private static final Logger LOG = Logger.getLogger(JobWatcher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Map<String, Set<Runnable>> watchers = new ConcurrentHashMap<>();
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
        watchers.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(onChange);
        return () -> watchers.computeIfPresent(jobId, (id, set) -> {
            set.remove(onChange);
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
                .call(conn -> conn.query("LISTEN " + CHANNEL).execute())
                .subscribe().with(conn -> {
                    connection = conn;
                    conn.notificationHandler(notification -> changed(notification.getPayload()));
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

    private void changed(String jobId) {
        Set<Runnable> interested = watchers.get(jobId);
        if (interested != null) {
            interested.forEach(JobWatcher::safely);
        }
    }

    private void wakeAll() {
        watchers.values().forEach(set -> set.forEach(JobWatcher::safely));
    }

    private static void safely(Runnable watcher) {
        try {
            watcher.run();
        } catch (RuntimeException e) {
            LOG.warn("A job watcher failed", e);
        }
    }
}
