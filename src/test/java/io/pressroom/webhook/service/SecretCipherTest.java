package io.pressroom.webhook.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Webhook secrets at rest: AES-GCM round trip, any tampering refused, plaintext rows of before still read. */
class SecretCipherTest {

    private static final String KEY = key((byte) 7);
    private final SecretCipher cipher = new SecretCipher(Optional.of(KEY), "k1");

    @Test
    void aSealedSecretOpensToItselfAndNamesItsVersionAndKey() {
        String secret = WebhookSigning.newSecret();
        String sealed = cipher.seal(secret);
        assertThat(sealed).startsWith("v1:k1:").doesNotContain(secret.substring(6));
        assertThat(cipher.open(sealed)).isEqualTo(secret);
        // a random nonce each time: the same secret never seals the same
        assertThat(cipher.seal(secret)).isNotEqualTo(sealed);
    }

    @Test
    void plaintextWrittenBeforeEncryptionAndNullReadAsTheyAre() {
        String secret = WebhookSigning.newSecret();
        assertThat(cipher.open(secret)).isEqualTo(secret);
        assertThat(cipher.open(null)).isNull();
    }

    @Test
    void anyChangedByteOfTheSealedFormIsRefused() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String sealed = cipher.seal(WebhookSigning.newSecret());
        byte[] bytes = Base64.getDecoder().decode(sealed.substring("v1:k1:".length()));
        for (int i = 0; i < 200; i++) {
            byte[] changed = bytes.clone();
            int at = random.nextInt(changed.length);
            changed[at] ^= (byte) (1 + random.nextInt(255)); // never 0: the byte always changes
            String tampered = "v1:k1:" + Base64.getEncoder().encodeToString(changed);
            assertThatThrownBy(() -> cipher.open(tampered)).as("seed %d, byte %d", seed, at)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("altered");
        }
        // cut short, or longer
        String shorter = "v1:k1:" + Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, bytes.length - 1));
        String longer = "v1:k1:" + Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, bytes.length + 1));
        assertThatThrownBy(() -> cipher.open(shorter)).hasMessageContaining("altered");
        assertThatThrownBy(() -> cipher.open(longer)).hasMessageContaining("altered");
    }

    @Test
    void anotherKeyOrKeyIdCannotOpenIt() {
        String sealed = cipher.seal(WebhookSigning.newSecret());
        assertThatThrownBy(() -> new SecretCipher(Optional.of(key((byte) 8)), "k1").open(sealed))
                .hasMessageContaining("altered or sealed with another key");
        assertThatThrownBy(() -> new SecretCipher(Optional.of(KEY), "k2").open(sealed))
                .hasMessageContaining("sealed with key 'k1'");
        // the key id is authenticated: relabelling the value does not help
        assertThatThrownBy(() -> new SecretCipher(Optional.of(KEY), "k2").open(sealed.replace("v1:k1:", "v1:k2:")))
                .hasMessageContaining("altered or sealed with another key");
        assertThatThrownBy(() -> cipher.open("v1:k1:bm90IGVub3VnaA==")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> cipher.open("v1:k1:***")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> cipher.open("v1:nokey")).hasMessageContaining("malformed");
    }

    @Test
    void afterAKeyRotationTheEarlierKeyStillOpensWhatItSealedWhileItIsListed() {
        String secret = WebhookSigning.newSecret();
        String sealedBefore = cipher.seal(secret);
        SecretCipher rotated = new SecretCipher(Optional.of(key((byte) 9)), "k2", List.of("k1:" + KEY));
        assertThat(rotated.open(sealedBefore)).isEqualTo(secret);
        assertThat(rotated.seal(secret)).startsWith("v1:k2:").startsWith(rotated.currentPrefix());
        // once the earlier key is no longer listed, what it sealed cannot be opened (hence the reseal first)
        assertThatThrownBy(() -> new SecretCipher(Optional.of(key((byte) 9)), "k2").open(sealedBefore))
                .hasMessageContaining("sealed with key 'k1', which is neither")
                .hasMessageContaining("previous-secret-keys");
        assertThatThrownBy(() -> new SecretCipher(Optional.of(KEY), "k1", List.of("k1:" + key((byte) 9))))
                .hasMessageContaining("'k1' is used twice");
        assertThatThrownBy(() -> new SecretCipher(Optional.of(KEY), "k2", List.of("k1:c2hvcnQ=")))
                .hasMessageContaining("previous-secret-keys 'k1' has 5 bytes; it needs 32");
    }

    @Test
    void anApiRefusesToStartWithoutAGoodKeyARendererIsNotAsked() {
        assertThatThrownBy(() -> SecretCipher.require(true, Optional.empty(), "1"))
                .hasMessageContaining("pressroom.webhooks.secret-key (PRESSROOM_WEBHOOKS_SECRET_KEY) is not set");
        assertThat(SecretCipher.require(false, Optional.empty(), "1")).isNotNull();
        assertThatThrownBy(() -> SecretCipher.require(true,
                Optional.of(Base64.getEncoder().encodeToString(new byte[16])), "1")).hasMessageContaining("needs 32");
        assertThatThrownBy(() -> SecretCipher.require(true, Optional.of("not base64!"), "1"))
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> SecretCipher.require(true, Optional.of(KEY), "a:b"))
                .hasMessageContaining("secret-key-id");
        assertThatThrownBy(() -> new SecretCipher(Optional.empty(), "1").seal("whsec_x"))
                .hasMessageContaining("not set");
    }

    private static String key(byte fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, fill);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
