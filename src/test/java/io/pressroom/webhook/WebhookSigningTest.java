package io.pressroom.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.pressroom.webhook.service.WebhookSigning;

/** Signing and secrets, against the example of the Standard Webhooks specification. */
class WebhookSigningTest {

    @Test
    void signsAsTheSpecificationsExample() {
        assertThat(WebhookSigning.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void anyChangeToIdTimestampOrBodyChangesTheSignature() {
        String secret = WebhookSigning.newSecret();
        String signature = WebhookSigning.sign(secret, "msg_1", 1000, "{}");
        assertThat(WebhookSigning.sign(secret, "msg_2", 1000, "{}")).isNotEqualTo(signature);
        assertThat(WebhookSigning.sign(secret, "msg_1", 1001, "{}")).isNotEqualTo(signature);
        assertThat(WebhookSigning.sign(secret, "msg_1", 1000, "{ }")).isNotEqualTo(signature);
        assertThat(WebhookSigning.sign(WebhookSigning.newSecret(), "msg_1", 1000, "{}")).isNotEqualTo(signature);
    }

    @Test
    void secretsAreWhsecAnd32RandomBytes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String secret = WebhookSigning.newSecret();
            assertThat(secret).startsWith("whsec_");
            assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
            seen.add(secret);
        }
        assertThat(seen).hasSize(100);
    }
}
