package io.pressroom.webhook.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Rotating the key that encrypts webhook secrets at rest, on the real database: secrets sealed with the earlier key
 * (listed in {@code previous-secret-keys}, as the test profile does with {@code old}) keep working, and are sealed
 * again with the current key so the earlier one can be dropped; plaintext rows from before encryption too.
 */
@QuarkusTest
class SecretResealTest {

    /** The test profile's {@code previous-secret-keys} entry {@code old}. */
    private static final SecretCipher OLD = new SecretCipher(
            Optional.of("b2xkLXByZXNzcm9vbS10ZXN0LWtleS0zMi1ieXRlcyE="), "old");
    private static final SecretCipher GONE = new SecretCipher(
            Optional.of("Z29uZS1rZXktbm8tbG9uZ2VyLWxpc3RlZC0zMmJ5dGU="), "gone");

    @Inject
    Pool database;

    @Inject
    SecretReseal reseal;

    @Inject
    SecretCipher cipher;

    @Inject
    MeterRegistry registry;

    @Test
    void secretsSealedWithTheEarlierKeyStillWorkAndAreSealedAgainWithTheCurrentOne() {
        TestProject project = Api.newProject();
        String endpointId = project.call().body(Map.of("url", "http://127.0.0.1:9/never")).post("/v1/webhooks")
                .then().statusCode(201).extract().path("id");
        String endpointSecret = WebhookSigning.newSecret();
        String legacyPlaintext = WebhookSigning.newSecret();
        String jobSecret = WebhookSigning.newSecret();
        update("UPDATE webhook_endpoints SET secret = $2, previous_secret = $3 WHERE id = $1", endpointId,
                OLD.seal(endpointSecret), legacyPlaintext);
        update("UPDATE projects SET job_webhook_secret = $2 WHERE id = $1", project.id(), OLD.seal(jobSecret));

        // before the reseal, the earlier key opens it: the API reads the same secret
        assertThat(project.call().get("/v1/webhooks/job-secret").then().statusCode(200).extract().<String> path(
                "secret")).isEqualTo(jobSecret);

        double before = resealed();
        while (reseal.resealBatch().await().indefinitely()) {
            // a batch was full: more may be waiting
        }

        String prefix = cipher.currentPrefix();
        assertThat(prefix).isEqualTo("v1:1:");
        String storedEndpoint = column("SELECT secret FROM webhook_endpoints WHERE id = $1", endpointId);
        String storedPrevious = column("SELECT previous_secret FROM webhook_endpoints WHERE id = $1", endpointId);
        String storedJob = column("SELECT job_webhook_secret FROM projects WHERE id = $1", project.id());
        assertThat(storedEndpoint).startsWith(prefix);
        assertThat(storedPrevious).startsWith(prefix);
        assertThat(storedJob).startsWith(prefix);
        assertThat(cipher.open(storedEndpoint)).isEqualTo(endpointSecret);
        assertThat(cipher.open(storedPrevious)).isEqualTo(legacyPlaintext);
        assertThat(cipher.open(storedJob)).isEqualTo(jobSecret);
        // sealed again without the earlier key: it can now leave previous-secret-keys
        assertThat(new SecretCipher(Optional.of("cHJlc3Nyb29tLWRldi1hbmQtdGVzdC1vbmx5LWtleSE="), "1").open(storedJob))
                .isEqualTo(jobSecret);
        assertThat(resealed() - before).isGreaterThanOrEqualTo(3);
        assertThat(project.call().get("/v1/webhooks/job-secret").then().statusCode(200).extract().<String> path(
                "secret")).isEqualTo(jobSecret);
    }

    @Test
    void aSecretNoListedKeyOpensIsLeftAsItIsAndDoesNotStopTheOthers() {
        TestProject lost = Api.newProject();
        TestProject kept = Api.newProject();
        String unreadable = GONE.seal(WebhookSigning.newSecret());
        String jobSecret = WebhookSigning.newSecret();
        update("UPDATE projects SET job_webhook_secret = $2 WHERE id = $1", lost.id(), unreadable);
        update("UPDATE projects SET job_webhook_secret = $2 WHERE id = $1", kept.id(), OLD.seal(jobSecret));

        while (reseal.resealBatch().await().indefinitely()) {
            // a batch was full: more may be waiting
        }

        assertThat(column("SELECT job_webhook_secret FROM projects WHERE id = $1", lost.id())).isEqualTo(unreadable);
        assertThat(cipher.open(column("SELECT job_webhook_secret FROM projects WHERE id = $1", kept.id())))
                .isEqualTo(jobSecret);
        update("UPDATE projects SET job_webhook_secret = NULL WHERE id = $1", lost.id());
    }

    private double resealed() {
        return registry.counter("pressroom_webhook_secrets_resealed").count();
    }

    private void update(String sql, Object... parameters) {
        database.preparedQuery(sql).execute(Tuple.from(parameters)).await().indefinitely();
    }

    private String column(String sql, String parameter) {
        return database.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().iterator().next()
                .getString(0);
    }
}
