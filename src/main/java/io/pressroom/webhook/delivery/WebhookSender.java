package io.pressroom.webhook.delivery;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pressroom.common.Background;
import io.pressroom.common.Backoff;
import io.pressroom.common.Contexts;
import io.pressroom.common.JobLogContext;
import io.pressroom.config.PressroomConfig;
import io.pressroom.webhook.repository.WebhookDeliveryRepository;
import io.pressroom.webhook.service.DeliveryTimeline;
import io.pressroom.webhook.service.JobWebhookSecrets;
import io.pressroom.webhook.service.SecretCipher;
import io.pressroom.webhook.service.WebhookEgress;
import io.pressroom.webhook.service.WebhookSignal;
import io.pressroom.webhook.service.WebhookSigning;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * API role: sends due webhook deliveries. Deliveries are claimed in one statement ({@code FOR UPDATE SKIP LOCKED})
 * that counts the try and moves the row's next try past the longest a try can take — a lease, so no connection is
 * held while receivers answer and pods never send one row at once. Each try's outcome and its timeline event
 * ({@code webhook_delivered} or {@code webhook_failed}) are then written in one transaction. A pod that dies
 * mid-try leaves the row due again when the lease ends: at-least-once, receivers deduplicate on
 * {@code webhook-id}.
 * <p>
 * A try holds one of the pod's slots ({@link TrySlots}) until it ends, and a freed slot is claimed again at once: a
 * receiver that hangs holds its own try, not the others claimed with it. A claim takes the projects in turns, those
 * with the fewest tries in flight first, and never more of one project's than its share, so a project whose
 * receivers hang or fail cannot keep the others' webhooks waiting.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final String USER_AGENT = "Pressroom-Webhooks/1";

    /** A claimed delivery: what one try needs. */
    record Claimed(String id, String jobId, String projectId, String url, String eventType, String body,
            int attempts, String secret, String previousSecret) {
    }

    /**
     * How one try ended: an HTTP status and, unless 2xx, the category of error ({@link TryErrors});
     * {@code permanent} when no later try can do better (the address is refused).
     */
    record Outcome(Integer status, String error, boolean permanent) {
        static Outcome answered(int status) {
            return new Outcome(status, status >= 200 && status < 300 ? null : TryErrors.ofStatus(status), false);
        }

        static Outcome failed(Throwable failure) {
            return new Outcome(null, TryErrors.of(failure),
                    failure instanceof WebhookEgress.Refused refused && refused.permanent());
        }

        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private final Instance<Pool> database;
    private final WebhookDeliveryRepository deliveries;
    private final DeliveryTimeline timeline;
    private final JobWebhookSecrets jobSecrets;
    private final SecretCipher cipher;
    private final WebhookSignal signal;
    private final PressroomConfig config;
    private final PressroomConfig.Webhooks settings;
    private final Vertx vertx;
    private final Background sender;
    private final MeterRegistry metrics;
    private final WebhookEgress egress;
    private final TrySlots slots;
    /** The last claim filled every free slot: more may be due, so a slot that frees is claimed again at once. */
    private volatile boolean backlog;
    private volatile HttpClient client;

    public WebhookSender(Instance<Pool> database, WebhookDeliveryRepository deliveries, DeliveryTimeline timeline,
            JobWebhookSecrets jobSecrets, SecretCipher cipher, WebhookSignal signal, PressroomConfig config, Vertx vertx,
            MeterRegistry metrics, WebhookEgress egress) {
        this.egress = egress;
        this.cipher = cipher;
        this.database = database;
        this.deliveries = deliveries;
        this.timeline = timeline;
        this.metrics = metrics;
        this.jobSecrets = jobSecrets;
        this.signal = signal;
        this.config = config;
        this.settings = config.webhooks();
        this.vertx = vertx;
        this.slots = new TrySlots(settings.concurrency(), settings.concurrencyPerProject());
        // tries run on after the claim; the run that ends their slots' wait is the next claim
        this.sender = new Background(vertx, "Webhook sender", config.database().backgroundRunTimeout(),
                () -> claimAndSend().replaceWith(false));
        Gauge.builder("pressroom.webhook.tries.in.flight", slots, TrySlots::taken)
                .description("Webhook tries this API pod has sent and waits for").register(metrics);
    }

    void start(@Observes StartupEvent event) {
        if (!config.role().runsApi()) {
            return;
        }
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) settings.timeout().toMillis())
                .setKeepAlive(false)
                // TLS: SNI and the certificate's host name are the URL's host, although the address is given
                .setVerifyHost(true)
                .setMaxPoolSize(slots.total()));
        signal.onWake(sender::run);
        sender.every(settings.pollInterval());
    }

    void stop(@Observes ShutdownEvent event) {
        sender.stop();
        if (client != null) {
            client.closeAndForget();
        }
    }

    /** Longest one try can take (connection, then the answer), with a margin: the lease of a claim. */
    private Duration lease() {
        return settings.timeout().multipliedBy(2).plusSeconds(30);
    }

    /**
     * Claims due deliveries for the free slots, at most each project's share of them counted with its tries in
     * flight, and starts their tries; completes with how many were claimed, without waiting for the tries. The
     * projects with pending deliveries are found by a skip scan of {@code webhook_deliveries_pending}, one index
     * descent each, and only their oldest due rows are read: a claim's cost follows the projects waiting, not the
     * backlog of one.
     */
    Uni<Integer> claimAndSend() {
        int free = slots.free();
        if (free <= 0) {
            return Uni.createFrom().item(0);
        }
        Map<String, Integer> busy = slots.byProject();
        Tuple arguments = Tuple.tuple().addInteger(free).addDouble((double) lease().toSeconds())
                .addArrayOfString(busy.keySet().toArray(String[]::new))
                .addArrayOfInteger(busy.values().toArray(Integer[]::new)).addInteger(slots.perProject());
        return database.get().preparedQuery("""
                WITH RECURSIVE pending(project_id) AS (
                    (SELECT project_id FROM webhook_deliveries WHERE next_attempt_at IS NOT NULL
                        ORDER BY project_id LIMIT 1)
                    UNION ALL
                    SELECT (SELECT d.project_id FROM webhook_deliveries d
                            WHERE d.next_attempt_at IS NOT NULL AND d.project_id > p.project_id
                            ORDER BY d.project_id LIMIT 1)
                    FROM pending p WHERE p.project_id IS NOT NULL),
                busy AS (
                    SELECT * FROM unnest($3::text[], $4::int[]) AS b(project_id, in_flight)),
                turns AS (
                    SELECT c.id, c.next_attempt_at, coalesce(b.in_flight, 0)
                        + row_number() OVER (PARTITION BY p.project_id ORDER BY c.next_attempt_at) AS turn
                    FROM pending p LEFT JOIN busy b ON b.project_id = p.project_id
                    CROSS JOIN LATERAL (SELECT d.id, d.next_attempt_at FROM webhook_deliveries d
                        WHERE d.project_id = p.project_id AND d.next_attempt_at <= now()
                        ORDER BY d.next_attempt_at LIMIT $5) c),
                due AS (
                    SELECT id FROM webhook_deliveries
                    WHERE id IN (SELECT id FROM turns WHERE turn <= $5 ORDER BY turn, next_attempt_at LIMIT $1)
                        AND next_attempt_at <= now()
                    FOR UPDATE SKIP LOCKED)
                UPDATE webhook_deliveries d
                SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
                FROM due WHERE d.id = due.id
                RETURNING d.id, d.job_id, d.project_id, d.url, d.event_type, d.body, d.attempts,
                    CASE WHEN d.endpoint_id IS NULL
                        THEN (SELECT p.job_webhook_secret FROM projects p WHERE p.id = d.project_id)
                        ELSE (SELECT e.secret FROM webhook_endpoints e WHERE e.id = d.endpoint_id) END AS secret,
                    CASE WHEN d.endpoint_id IS NULL
                        THEN (SELECT p.job_webhook_previous_secret FROM projects p
                            WHERE p.id = d.project_id AND p.job_webhook_previous_secret_until > now())
                        ELSE (SELECT e.previous_secret FROM webhook_endpoints e
                            WHERE e.id = d.endpoint_id AND e.previous_secret_until > now()) END AS previous_secret""")
                .execute(arguments)
                .map(rows -> {
                    backlog = rows.size() == free;
                    for (Row row : rows) {
                        Claimed delivery = new Claimed(row.getString("id"), row.getString("job_id"),
                                row.getString("project_id"), row.getString("url"), row.getString("event_type"),
                                row.getString("body"), row.getInteger("attempts"), row.getString("secret"),
                                row.getString("previous_secret"));
                        slots.take(delivery.projectId());
                        // each try on its own Vert.x context: its own logging MDC (the job's ids)
                        Contexts.onNewContext(vertx, () -> {
                            JobLogContext log = JobLogContext.of(delivery.jobId(), delivery.projectId(), null);
                            return attempt(delivery).onTermination().invoke(log::close);
                        }).onTermination().invoke(() -> ended(delivery)).subscribe().with(ignored -> {
                        });
                    }
                    return rows.size();
                });
    }

    private void ended(Claimed delivery) {
        slots.release(delivery.projectId());
        if (backlog) {
            sender.run();
        }
    }

    /** One try of one delivery, its outcome recorded; never fails (a failure to record leaves the lease to expire). */
    private Uni<Void> attempt(Claimed delivery) {
        // only a per-job webhook of a project that never read its job secret has none yet
        Uni<String> secret = delivery.secret() != null ? Uni.createFrom().item(() -> cipher.open(delivery.secret()))
                : jobSecrets.of(delivery.projectId());
        return secret.map(current -> delivery.previousSecret() == null ? List.of(current)
                : List.of(current, cipher.open(delivery.previousSecret())))
                .chain(keys -> post(delivery, keys))
                .onFailure().invoke(failure -> LOG.debugf("Webhook %s of %s, try %d: %s", delivery.id(),
                        delivery.jobId(), delivery.attempts(), failure.toString()))
                .onFailure().recoverWithItem(Outcome::failed)
                .chain(outcome -> record(delivery, outcome))
                .onFailure().invoke(failure -> LOG.warnf("Webhook %s: recording try %d failed: %s", delivery.id(),
                        delivery.attempts(), failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Resolves and checks the URL's host now, then connects to exactly the address checked (the request's host
     * still names the Host header, TLS SNI and the certificate to expect), and follows no redirect.
     */
    private Uni<Outcome> post(Claimed delivery, List<String> secrets) {
        return Uni.createFrom().<WebhookEgress.Destination> emitter(emitter -> {
            try {
                emitter.complete(egress.destination(delivery.url()));
            } catch (WebhookEgress.Refused refused) {
                if (refused.permanent()) {
                    LOG.warnf("Webhook %s of %s refused: %s points to %s", delivery.id(), delivery.jobId(),
                            delivery.url(), refused.getMessage());
                }
                emitter.fail(refused);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(destination -> post(delivery, secrets, destination));
    }

    private Uni<Outcome> post(Claimed delivery, List<String> secrets, WebhookEgress.Destination destination) {
        long timestamp = Instant.now().getEpochSecond();
        // while a rotated endpoint's previous secret is in its overlap window: both signatures
        String signature = WebhookSigning.signWithEach(secrets, delivery.id(), timestamp, delivery.body());
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(delivery.url())
                .setServer(SocketAddress.inetSocketAddress(
                        new InetSocketAddress(destination.address(), destination.port())))
                .setFollowRedirects(false)
                .setConnectTimeout(settings.timeout().toMillis())
                .setIdleTimeout(settings.timeout().toMillis())
                .addHeader("content-type", "application/json")
                .addHeader("user-agent", USER_AGENT)
                .addHeader("webhook-id", delivery.id())
                .addHeader("webhook-timestamp", Long.toString(timestamp))
                .addHeader("webhook-signature", signature);
        return client.request(request)
                .chain(http -> http.send(Buffer.buffer(delivery.body()))
                        // the answer is its status: its body is not read, and the connection ends with the try, so
                        // that a receiver sending a body (or headers) without end costs nothing once the try is over;
                        // the body's end by that reset is no error (Vert.x logs it at ERROR when nobody listens)
                        .map(response -> Outcome.answered(response.exceptionHandler(ended -> {
                        }).statusCode()))
                        .onTermination().invoke(http::reset))
                .ifNoItem().after(settings.timeout().multipliedBy(2))
                .failWith(() -> new TimeoutException("no answer within " + settings.timeout().multipliedBy(2)
                        .toSeconds() + " s"));
    }

    /** The try's outcome and its timeline event, in one transaction; nothing when another pod took the row over. */
    private Uni<Void> record(Claimed delivery, Outcome outcome) {
        boolean delivered = outcome.delivered();
        boolean last = delivery.attempts() >= settings.maxAttempts() || outcome.permanent();
        Instant next = delivered || last ? null
                : Instant.now().plus(Backoff.before(settings.retryBackoff(), delivery.attempts()));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("webhookId", delivery.id());
        details.put("event", delivery.eventType());
        details.put("url", delivery.url());
        details.put("attempt", delivery.attempts());
        if (outcome.status() != null) {
            details.put("statusCode", outcome.status());
        }
        // a category, never the exception's text: that would map the network behind the receiver for the tenant
        if (outcome.error() != null) {
            details.put("error", outcome.error());
        }
        if (!delivered) {
            details.put("nextAttemptAt", next == null ? null : next.toEpochMilli());
        }
        if (delivered) {
            LOG.debugf("Webhook %s of %s delivered (try %d, %d)", delivery.id(), delivery.jobId(),
                    delivery.attempts(), outcome.status());
        } else if (last) {
            LOG.warnf("Webhook %s of %s abandoned after %d tries: %s", delivery.id(), delivery.jobId(),
                    delivery.attempts(), outcome.error() != null ? outcome.error() : "HTTP " + outcome.status());
        }
        return Contexts.onNewContext(vertx, () -> Panache.withTransaction(() -> deliveries.recordTry(delivery.id(),
                delivery.attempts(), outcome.status(), outcome.error(), next, delivered, !delivered && last)
                // a batch's webhook has no job timeline: its tries are on the delivery row alone
                .chain(current -> current && delivery.jobId() != null
                        ? timeline.recordTry(delivery.jobId(), delivered, details)
                        : Uni.createFrom().voidItem())))
                .invoke(() -> Counter.builder("pressroom.webhook.tries")
                        .description("Webhook delivery tries by outcome: delivered, failed (retried later), abandoned")
                        .tag("outcome", delivered ? "delivered" : last ? "abandoned" : "failed")
                        .register(metrics).increment());
    }
}
