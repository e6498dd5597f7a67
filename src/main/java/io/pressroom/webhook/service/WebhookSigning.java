package io.pressroom.webhook.service;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;

/**
 * Standard Webhooks secrets and signatures: a secret is {@code whsec_} and the base64 of 32 random bytes; the
 * signature is {@code v1,} and the base64 HMAC-SHA256, keyed with those bytes, of {@code id.timestamp.body}.
 */
public final class WebhookSigning {

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigning() {
    }

    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The {@code webhook-signature} header value for a message signed with each secret: their {@code v1,…} entries
     * separated by spaces, as Standard Webhooks has it while a secret is rotated (a receiver accepts any one).
     */
    public static String signWithEach(List<String> secrets, String messageId, long timestampSeconds, String body) {
        return secrets.stream().map(secret -> sign(secret, messageId, timestampSeconds, body))
                .collect(Collectors.joining(" "));
    }

    /** The {@code webhook-signature} header value for a message. */
    public static String sign(String secret, String messageId, long timestampSeconds, String body) {
        try {
            return new Webhook(secret).sign(messageId, timestampSeconds, body);
        } catch (WebhookSigningException | EmptyWebhookSecretException | RuntimeException e) {
            // the message would carry the secret's problem; never the secret itself
            throw new IllegalStateException("cannot sign webhook " + messageId, e);
        }
    }
}
