package io.pressroom.webhook.service;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.pressroom.config.PressroomConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The project's secret for webhooks sent to a job's own {@code webhookUrl}: made on first use (reading it, or the
 * first such delivery), then changed only by a rotation, after which the previous one still signs for
 * {@code pressroom.webhooks.secret-rotation-overlap}. One statement each, so API pods asking at once all get the same
 * secret. Stored encrypted ({@link SecretCipher}).
 */
@ApplicationScoped
public class JobWebhookSecrets {

    private final Instance<Pool> database;
    private final SecretCipher cipher;

    private final Duration overlap;

    public JobWebhookSecrets(Instance<Pool> database, SecretCipher cipher, PressroomConfig config) {
        this.database = database;
        this.cipher = cipher;
        this.overlap = config.webhooks().secretRotationOverlap();
    }

    /** A new secret, shown once, and until when the previous one still signs (absent when there was none). */
    public record Rotated(String secret, Optional<Instant> previousUntil) {
    }

    /** The secret, or {@code null} when the project does not exist. */
    public Uni<String> of(String projectId) {
        return database.get().preparedQuery("""
                UPDATE projects SET job_webhook_secret = COALESCE(job_webhook_secret, $2) WHERE id = $1
                RETURNING job_webhook_secret""").execute(Tuple.of(projectId, cipher.seal(WebhookSigning.newSecret())))
                .map(rows -> cipher.open(first(rows)));
    }

    /**
     * Gives the project a new secret; the current one, if any, becomes the previous, which still signs next to the new
     * one for the overlap window. A second rotation within the window drops the oldest. Completes with {@code null}
     * when the project does not exist.
     */
    public Uni<Rotated> rotate(String projectId) {
        String secret = WebhookSigning.newSecret();
        return database.get().preparedQuery("""
                UPDATE projects SET job_webhook_previous_secret = job_webhook_secret,
                    job_webhook_previous_secret_until = CASE WHEN job_webhook_secret IS NULL THEN NULL
                        ELSE now() + make_interval(secs => $3) END,
                    job_webhook_secret = $2
                WHERE id = $1 RETURNING job_webhook_previous_secret_until""")
                .execute(Tuple.of(projectId, cipher.seal(secret), overlap.toMillis() / 1000.0))
                .map(rows -> rows.size() == 0 ? null
                        : new Rotated(secret, Optional.ofNullable(rows.iterator().next().getOffsetDateTime(0))
                                .map(OffsetDateTime::toInstant)));
    }

    private static String first(RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        return rows.size() == 0 ? null : rows.iterator().next().getString(0);
    }
}
