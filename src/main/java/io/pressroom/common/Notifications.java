package io.pressroom.common;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;

/**
 * PostgreSQL's {@code LISTEN/NOTIFY} on an API pod: one dedicated connection listens on every channel a part of the
 * application asked for, and PostgreSQL delivers a {@code pg_notify} at its commit to every pod. When the connection
 * drops, or stops answering ({@code pressroom.database.notification-check-interval}), every listener is told that it
 * may have missed something, and the connection is re-established with backoff; until then {@link #listening()} is
 * false. An attempt to connect and listen that takes longer than the interval is given up and made again.
 */
@ApplicationScoped
public class Notifications {

    /** What a channel's notifications go to. Both run on the connection's event loop: keep them short. */
    public interface Listener {

        void heard(String payload);

        /** The connection dropped or was (re-)established: notifications may have been missed. */
        void mayHaveMissed();
    }

    /** How the connection shows in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "pressroom-notifications";

    private static final Logger LOG = Logger.getLogger(Notifications.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Map<String, List<Listener>> channels = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final PressroomConfig config;
    private final PgConnectOptions options;
    private final Duration check;
    private volatile PgConnection connection;
    private volatile boolean stopped;

    public Notifications(Vertx vertx, PressroomConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        this.config = config;
        this.check = config.database().notificationCheckInterval();
        this.options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", "")).setUser(user)
                .setPassword(password).addProperty("application_name", APPLICATION_NAME);
        // A live connection reads the check's answer every interval. One that reads nothing for two (a server that
        // froze while it was being connected to or listened on, a half-open path, an attempt given up) is closed by
        // the socket itself, so that no abandoned socket stays open.
        options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setReadIdleTimeout((int) check.multipliedBy(2).toMillis());
    }

    /** After the other start-up observers, which ask for their channels: one statement listens on all of them. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
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

    /**
     * Sends the channel's notifications to {@code listener} from now on. A channel asked for while connected is listened
     * on at once, and the listener told it may have missed some until then.
     */
    public void listen(String channel, Listener listener) {
        if (!channel.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        channels.computeIfAbsent(channel, name -> new CopyOnWriteArrayList<>()).add(listener);
        PgConnection current = connection;
        if (current != null) {
            listenOn(current, channel);
        }
    }

    public boolean listening() {
        return connection != null;
    }

    private void connect(Duration backoff) {
        if (stopped) {
            return;
        }
        Set<String> asked = Set.copyOf(channels.keySet());
        PgConnection.connect(vertx, options)
                .call(conn -> conn.query(asked.isEmpty() ? "SELECT 1"
                        : asked.stream().sorted().map(channel -> "LISTEN " + channel).collect(Collectors.joining("; ")))
                        .execute())
                // the client's attempt does not fail when its socket is closed before the server answered
                .ifNoItem().after(check).fail()
                .subscribe().with(conn -> {
                    connection = conn;
                    conn.notificationHandler(notification -> channels
                            .getOrDefault(notification.getChannel(), List.of())
                            .forEach(listener -> tell(() -> listener.heard(notification.getPayload()))));
                    long checks = vertx.setPeriodic(check.toMillis(), id -> check(conn, id));
                    conn.closeHandler(() -> lost(conn, checks, "Lost the PostgreSQL notification connection"));
                    // channels asked for while this connection was being made (listen saw no connection yet)
                    channels.keySet().stream().filter(channel -> !asked.contains(channel))
                            .forEach(channel -> listenOn(conn, channel));
                    // notifications sent while we were not listening are lost: have everyone look again
                    mayHaveMissedAll();
                }, failure -> {
                    LOG.debugf("Could not listen for notifications: %s", failure.getMessage());
                    Duration next = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
                            : backoff.multipliedBy(2);
                    vertx.setTimer(backoff.toMillis(), id -> connect(next));
                });
    }

    /**
     * A connection whose server froze, or whose peer is gone without a word (a half-open TCP connection), delivers
     * nothing and never closes: one that does not answer a statement within the interval is dropped, which makes the
     * listeners look again and the connection be made anew.
     */
    private void check(PgConnection conn, long checks) {
        conn.query("SELECT 1").execute().ifNoItem().after(check).fail().subscribe().with(rows -> {
        }, failure -> {
            // its close waits for the server's answer too: the connection is given up now, not when it has closed
            lost(conn, checks, "The PostgreSQL notification connection did not answer within " + check.toMillis()
                    + " ms");
            conn.closeAndForget();
        });
    }

    /** Once per connection, whichever comes first (its close, a failed check): listeners look again; a new one. */
    private synchronized void lost(PgConnection conn, long checks, String what) {
        if (connection != conn) {
            return;
        }
        vertx.cancelTimer(checks);
        connection = null;
        if (stopped) {
            return; // our own close at shutdown
        }
        LOG.warn(what + "; reconnecting");
        mayHaveMissedAll();
        connect(Duration.ofMillis(100));
    }

    /** Adds a channel to a live connection; if that fails, the connection is dropped and its successor listens. */
    private void listenOn(PgConnection conn, String channel) {
        conn.query("LISTEN " + channel).execute().subscribe().with(
                done -> channels.getOrDefault(channel, List.of()).forEach(l -> tell(l::mayHaveMissed)),
                failure -> conn.closeAndForget());
    }

    private void mayHaveMissedAll() {
        channels.values().forEach(listeners -> listeners.forEach(listener -> tell(listener::mayHaveMissed)));
    }

    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("A notification listener failed", e);
        }
    }
}
