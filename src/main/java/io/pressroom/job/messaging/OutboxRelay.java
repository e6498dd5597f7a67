package io.pressroom.job.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.pressroom.common.Background;
import io.pressroom.common.Backoff;
import io.pressroom.common.Causes;
import io.pressroom.common.TraceHeaders;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.Topics;
import io.pressroom.job.service.DispatchRoomSignal;
import io.pressroom.job.service.JobTransitions;
import io.pressroom.job.service.OutboxSignal;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * API role: publishes outbox rows to Kafka, each on its own, then marks them sent (or set aside, or due again later), in a
 * transaction that holds the rows with
 * {@code FOR UPDATE SKIP LOCKED} — so several API pods share the work and no row is sent by two of them at once.
 * At-least-once: a crash between publish and commit publishes again, and consumers are idempotent. It polls, and a
 * committed state change on this pod wakes it at once.
 * <p>
 * Fair dispatch ({@code pressroom.jobs.dispatch-window}): what Kafka holds is served in order, so once a project's
 * backlog is there, another project's job waits behind all of it. The relay therefore lets out, per queue, only as
 * many jobs' render commands as the queue's window allows (render commands out whose jobs have not ended: at most
 * the window or twice the queue's renders in progress, whichever is larger), and picks the next ones project by
 * project: the project with the fewest commands out goes first, with its oldest command. Other messages, and
 * commands of jobs that already ended, go out at once.
 * One API pod at a time picks (a transaction-scoped advisory lock), so pods racing each other cannot overfill the
 * window.
 * <p>
 * Metrics, refreshed every {@value #BACKLOG_SECONDS} s: {@code pressroom.outbox.backlog} (messages due and not yet
 * sent, but for the render commands held back for their turn) and {@code pressroom.outbox.oldest.seconds} (how long
 * the oldest of them has been due). Both stay near 0 while Kafka takes messages; a growing age means commands are
 * not reaching renderers. {@code pressroom.outbox.held}: render commands due and waiting for their turn, the backlog
 * that fair dispatch keeps out of Kafka.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;
    private static final int BACKLOG_SECONDS = 15;
    /** The advisory lock of fair dispatch's pick, the same on every API pod. */
    private static final long DISPATCH_LOCK = 0x7072657373726f6fL;
    /** How long a transaction that picked may stay idle: twice the longest wait for one send (30 s). */
    private static final long IDLE_IN_PICK_MS = 60_000;
    private static final String COLUMNS = """
            id, topic, message_key, CAST(payload AS text) AS payload, attempts, headers,
            payload ->> 'attempt' AS job_attempt""";
    /** The wait before the 1st, 2nd, … retry of a row that failed for a passing reason; the last repeats. */
    private static final List<Duration> RETRY_BACKOFF = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10));

    private final Instance<Pool> database;
    private final MutinyEmitter<String> commands;
    private final OutboxSignal signal;
    private final DispatchRoomSignal dispatchRoom;
    private final JobTransitions transitions;
    private final PressroomConfig config;
    private final Background relay;
    private final Background backlog;
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    /** Whether the last pick left render commands waiting for room: then a render's start or a job's end wakes it. */
    private volatile boolean holding;
    private final MeterRegistry metrics;

    public OutboxRelay(Instance<Pool> database, @Channel("render-commands") MutinyEmitter<String> commands,
            OutboxSignal signal, DispatchRoomSignal dispatchRoom, JobTransitions transitions, PressroomConfig config,
            Vertx vertx,
            MeterRegistry metrics) {
        this.transitions = transitions;
        this.database = database;
        this.commands = commands;
        this.signal = signal;
        this.dispatchRoom = dispatchRoom;
        this.config = config;
        this.relay = new Background(vertx, "Outbox relay", config.database().backgroundRunTimeout(),
                () -> publishBatch().map(sent -> sent >= BATCH));
        this.backlog = new Background(vertx, "Outbox backlog", config.database().backgroundRunTimeout(),
                () -> measureBacklog().replaceWith(false));
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        if (!config.role().runsApi()) {
            return;
        }
        signal.onWake(relay::run);
        dispatchRoom.onWake(() -> {
            if (holding) {
                relay.run();
            }
        });
        relay.every(config.jobs().outboxPollInterval());
        // API pods only: a renderer has no outbox, and a gauge stuck at 0 there would only mislead
        Gauge.builder("pressroom.outbox.backlog", unsent, AtomicLong::get)
                .description("Outbox messages due and not yet sent to Kafka").register(metrics);
        Gauge.builder("pressroom.outbox.oldest.seconds", oldestSeconds, AtomicLong::get)
                .description("How long the oldest unsent outbox message has been due").register(metrics);
        Gauge.builder("pressroom.outbox.held", held, AtomicLong::get)
                .description("Render commands due and held back by fair dispatch until their project's turn")
                .register(metrics);
        backlog.every(Duration.ofSeconds(BACKLOG_SECONDS));
    }

    void stop(@Observes ShutdownEvent event) {
        relay.stop();
        backlog.stop();
    }

    /**
     * Reads the unsent, due messages through the relay's own partial index; a render command never tried is held
     * (waiting for its turn), not late. A message Kafka refused has its {@code available_at} moved on for the next
     * try, so its age counts from when it was written: while Kafka is away, the age goes on growing (it counts a
     * job's retry command from when the retry was scheduled, up to its backoff early). Before, the age started
     * again with each try and stayed under twice a send's wait, so the stuck-outbox alert never fired.
     */
    Uni<Void> measureBacklog() {
        return database.get().preparedQuery("""
                SELECT count(*) FILTER (WHERE NOT waiting) AS unsent, count(*) FILTER (WHERE waiting) AS held,
                    COALESCE(EXTRACT(EPOCH FROM now() - min(since) FILTER (WHERE NOT waiting)), 0) AS oldest
                FROM (SELECT CASE WHEN attempts = 0 THEN available_at ELSE created_at END AS since,
                        $1 AND project_id IS NOT NULL AND attempts = 0 AS waiting
                    FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL AND available_at <= now()) due""")
                .execute(Tuple.of(fair()))
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    unsent.set(row.getLong("unsent"));
                    held.set(row.getLong("held"));
                    oldestSeconds.set(Math.round(row.getNumeric("oldest").doubleValue()));
                })
                .replaceWithVoid();
    }

    private boolean fair() {
        return config.jobs().dispatchWindow() > 0;
    }

    /**
     * Sends up to {@value #BATCH} due rows that go out at once and up to {@value #BATCH} render commands whose turn it
     * is (fair dispatch), each on its own: one row Kafka refuses never holds up the others, and
     * the rows that went out are marked sent whatever happened to the rest. A row refused for good is set aside
     * (dead) and, after the commit, its job fails; a row that failed for a passing reason waits a while
     * ({@link #RETRY_BACKOFF}) and is tried again, while the rows behind it go on.
     */
    Uni<Integer> publishBatch() {
        List<Tried> undeliverable = new ArrayList<>();
        // the two reads go out together on the connection (pipelined): one round trip to the database, not two
        return database.get().withTransaction(connection -> Uni.combine().all()
                .unis(direct(connection),
                        fair() ? commandsWithRoom(connection) : Uni.createFrom().item(List.<Row> of()))
                .with((direct, commands) -> {
                    List<Row> rows = new ArrayList<>(direct);
                    rows.addAll(commands);
                    return rows;
                })
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    List<Uni<Tried>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        Tried tried = Tried.of(row);
                        sends.add(send(tried.topic(), tried.key(), row.getString("payload"), headers(row))
                                .replaceWith(tried)
                                .onFailure().recoverWithItem(tried::failed));
                    }
                    return Uni.join().all(sends).andFailFast()
                            .chain(outcomes -> record(connection, outcomes, undeliverable))
                            .replaceWith(rows.size());
                }))
                .call(() -> failJobs(undeliverable));
    }

    /** The due messages that go out at once, oldest first: all of them when fair dispatch is off. */
    private Uni<List<Row>> direct(SqlConnection connection) {
        String notHeld = fair() ? " AND project_id IS NULL" : "";
        return connection.preparedQuery("SELECT " + COLUMNS + " FROM outbox"
                + " WHERE sent_at IS NULL AND dead_at IS NULL AND available_at <= now()" + notHeld
                + " ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED").execute(Tuple.of(BATCH)).map(OutboxRelay::list);
    }

    /**
     * Fair dispatch's pick ({@link #PICK}): the due render commands whose turn it is, as many as each queue's window
     * has room for, and the commands of jobs that already ended (they cost no render); notes whether others are left
     * waiting. Nothing when another pod is picking. The advisory lock makes this pod the only one that sends held
     * commands until its transaction ends, so their rows need no row locks; and PostgreSQL ends the transaction
     * itself if it is left idle for {@value #IDLE_IN_PICK_MS} ms (this pod lost its connection half-way, say), so a
     * lost pod cannot keep the others from dispatching.
     */
    private Uni<List<Row>> commandsWithRoom(SqlConnection connection) {
        Tuple parameters = Tuple.of(config.jobs().dispatchWindow(), BATCH, DISPATCH_LOCK,
                Long.toString(IDLE_IN_PICK_MS));
        return connection.preparedQuery(PICK).execute(parameters).map(rows -> {
            List<Row> picked = new ArrayList<>();
            boolean waiting = false;
            for (Row row : rows) {
                if (!row.getBoolean("now")) {
                    waiting = true;
                } else if (picked.size() < BATCH) {
                    picked.add(row);
                }
            }
            holding = waiting;
            return picked;
        });
    }

    /**
     * The due render commands, those to send now first, and at most one more (which tells that others wait). Each
     * queue has its own window, so a queue whose renderers are away never holds up another. A command is out when
     * it was sent and its job has not ended: a project's live jobs in the queue less its live unsent commands there.
     * Each project's n-th due command has the turn of the project's commands out plus n, so the project with the
     * fewest out goes first, and projects take turns; the window's room goes to the lowest turns. The commands of
     * ended jobs ({@code live} false) go at once. A payload is read only for a command sent now.
     */
    private static final String PICK = """
            WITH lock AS MATERIALIZED (
                SELECT pg_try_advisory_xact_lock($3) AS mine,
                    set_config('idle_in_transaction_session_timeout', $4, true) AS idle),
            unsent AS (
                SELECT o.id, o.project_id, j.queue, o.available_at <= now() AS due,
                    j.status IN ('queued', 'rendering', 'retry_scheduled') AS live
                FROM outbox o JOIN render_jobs j ON j.id = o.message_key
                WHERE o.sent_at IS NULL AND o.dead_at IS NULL AND o.project_id IS NOT NULL
                    AND (SELECT mine FROM lock)),
            projects AS (
                SELECT u.queue, u.project_id, (SELECT count(*) FROM render_jobs j WHERE j.project_id = u.project_id
                        AND j.queue = u.queue AND j.status IN ('queued', 'rendering', 'retry_scheduled'))
                    - count(*) FILTER (WHERE u.live) AS out
                FROM unsent u GROUP BY u.queue, u.project_id HAVING bool_or(u.due)),
            rooms AS (
                SELECT j.queue, greatest($1, 2 * count(*) FILTER (WHERE j.status = 'rendering')) - count(*)
                    + (SELECT count(*) FROM unsent u WHERE u.live AND u.queue = j.queue) AS n
                FROM render_jobs j
                WHERE j.status IN ('queued', 'rendering', 'retry_scheduled') AND j.queue IN (SELECT queue FROM projects)
                GROUP BY j.queue),
            turns AS (
                SELECT u.id, u.queue, u.live,
                    p.out + row_number() OVER (PARTITION BY u.queue, u.project_id, u.live ORDER BY u.id) AS turn
                FROM unsent u JOIN projects p USING (queue, project_id) WHERE u.due),
            picked AS (
                SELECT t.id, NOT t.live
                    OR row_number() OVER (PARTITION BY t.queue, t.live ORDER BY t.turn, t.id) <= COALESCE(r.n, $1) AS now
                FROM turns t LEFT JOIN rooms r USING (queue))
            SELECT o.id, o.topic, o.message_key, CASE WHEN k.now THEN CAST(o.payload AS text) END AS payload,
                o.attempts, o.headers, o.payload ->> 'attempt' AS job_attempt, k.now
            FROM picked k JOIN outbox o USING (id)
            ORDER BY k.now DESC, o.id
            LIMIT $2 + 1""";

    private static List<Row> list(Iterable<Row> rows) {
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        return list;
    }

    /** One row and how its send went: {@code failure} is null when it was sent. */
    record Tried(long id, String topic, String key, int attempts, Integer jobAttempt, Throwable failure) {
        static Tried of(Row row) {
            String attempt = row.getString("job_attempt");
            return new Tried(row.getLong("id"), row.getString("topic"), row.getString("message_key"),
                    row.getInteger("attempts"), attempt == null || !attempt.matches("\\d{1,9}") ? null
                            : Integer.valueOf(attempt),
                    null);
        }

        Tried failed(Throwable cause) {
            return new Tried(id, topic, key, attempts, jobAttempt, cause);
        }

        String error() {
            String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
            return text.length() > 1000 ? text.substring(0, 1000) : text;
        }
    }

    private Uni<Void> record(SqlConnection connection, List<Tried> tried, List<Tried> undeliverable) {
        List<Long> sent = new ArrayList<>();
        List<Tuple> dead = new ArrayList<>();
        List<Tuple> later = new ArrayList<>();
        for (Tried row : tried) {
            if (row.failure() == null) {
                sent.add(row.id());
            } else if (permanent(row.failure())) {
                LOG.errorf("Outbox message %d (%s, key %s) can never be sent and is set aside: %s", row.id(),
                        row.topic(), row.key(), row.error());
                dead.add(Tuple.of(row.id(), row.error()));
                undeliverable.add(row);
            } else {
                Duration wait = Backoff.before(RETRY_BACKOFF, row.attempts() + 1);
                LOG.warnf("Outbox message %d (%s, key %s) was not sent (try %d), trying again in %d s: %s", row.id(),
                        row.topic(), row.key(), row.attempts() + 1, wait.toSeconds(), row.error());
                later.add(Tuple.of(row.id(), row.error(), wait.toMillis() / 1000.0));
            }
        }
        Uni<?> done = sent.isEmpty() ? Uni.createFrom().voidItem()
                : connection.preparedQuery("UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1)")
                        .execute(Tuple.of(sent.toArray(Long[]::new)));
        if (!dead.isEmpty()) {
            done = done.chain(() -> connection.preparedQuery("""
                    UPDATE outbox SET dead_at = now(), attempts = attempts + 1, last_error = $2 WHERE id = $1""")
                    .executeBatch(dead));
        }
        if (!later.isEmpty()) {
            done = done.chain(() -> connection.preparedQuery("""
                    UPDATE outbox SET attempts = attempts + 1, last_error = $2,
                        available_at = clock_timestamp() + make_interval(secs => $3) WHERE id = $1""")
                    .executeBatch(later)); // now() would be when the sends began: the wait would be over already
        }
        return done.replaceWithVoid();
    }

    /**
     * Whether Kafka will never take the record as it is (too large, an invalid topic or record): trying again would
     * only fail again. Passing trouble (timeouts, leader changes, a broker away) and authentication or authorization
     * failures (an operator fixes those, and every row would fail alike) are retried.
     */
    static boolean permanent(Throwable failure) {
        return Causes.of(failure)
                .filter(cause -> cause instanceof ApiException || cause instanceof SerializationException)
                .findFirst()
                .map(cause -> !(cause instanceof RetriableException || cause instanceof AuthenticationException
                        || cause instanceof AuthorizationException))
                .orElse(false);
    }

    /** After the commit: the jobs whose render command was set aside fail, one at a time. */
    private Uni<Void> failJobs(List<Tried> undeliverable) {
        return Multi.createFrom().iterable(undeliverable)
                .filter(row -> row.topic().startsWith(Topics.COMMANDS_PREFIX) && row.jobAttempt() != null)
                .onItem().transformToUniAndConcatenate(row -> transitions.undeliverable(row.key(), row.jobAttempt(),
                        reason(row.failure()))
                        .onFailure().invoke(f -> LOG.warnf(f, "Could not fail job %s", row.key()))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    /** What the job's error message says: a category, never the broker's text. */
    private static String reason(Throwable failure) {
        return Causes.of(failure).anyMatch(
                cause -> cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException)
                        ? "it is larger than Kafka accepts"
                        : "Kafka refused it";
    }

    /** The row's trace context headers ({@code traceparent}, {@code tracestate}), written with it. */
    private static Map<String, Object> headers(Row row) {
        JsonObject headers = row.getJsonObject("headers");
        return headers == null ? Map.of() : headers.getMap();
    }

    /**
     * Sends one row. The trace goes on from the row's context, not the relay's: SmallRye's Kafka tracing makes
     * the publish span a child of the message's {@link TracingMetadata} and writes it into the record's headers.
     */
    private Uni<Void> send(String topic, String key, String payload, Map<String, Object> headers) {
        Message<String> message = Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String> builder()
                .withTopic(topic).withKey(key).build());
        Context trace = TraceHeaders.context(headers);
        if (trace != null) {
            message = message.addMetadata(TracingMetadata.withCurrent(trace));
        }
        return commands.sendMessage(message).ifNoItem().after(Duration.ofSeconds(30)).fail();
    }
}
