package io.pressroom.webhook.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The project's secret for webhooks sent to a job's own {@code webhookUrl}: made on first use (reading it, or the
 * first such delivery), then never changes. One statement, so API pods asking at once all get the same secret.
 * Stored encrypted ({@link SecretCipher}).
 */
@ApplicationScoped
public class JobWebhookSecrets {

    private final Instance<Pool> database;
    private final SecretCipher cipher;

    public JobWebhookSecrets(Instance<Pool> database, SecretCipher cipher) {
        this.database = database;
        this.cipher = cipher;
    }

    /** The secret, or {@code null} when the project does not exist. */
    public Uni<String> of(String projectId) {
        return database.get().preparedQuery("""
                UPDATE projects SET job_webhook_secret = COALESCE(job_webhook_secret, $2) WHERE id = $1
                RETURNING job_webhook_secret""").execute(Tuple.of(projectId, cipher.seal(WebhookSigning.newSecret())))
                .map(rows -> cipher.open(first(rows)));
    }

    private static String first(RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        return rows.size() == 0 ? null : rows.iterator().next().getString(0);
    }
}
