package io.pressroom.webhook.service;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.pressroom.common.KeyRing;
import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Webhook secrets at rest: AES-256-GCM (the JDK's) with a random 96-bit nonce, stored as
 * {@code v1:<keyId>:<base64 of nonce, ciphertext and tag>}; the version and key id are authenticated too. A value
 * without the {@code v1:} prefix is a plaintext secret written before encryption and reads as it is. The key rotates
 * like the signing key of download links: a new key and id, the old one listed in
 * {@code pressroom.webhooks.previous-secret-keys} until {@link SecretReseal} has sealed every stored secret again.
 */
@ApplicationScoped
public class SecretCipher {

    static final String VERSION = "v1";
    private static final KeyRing.Settings SETTINGS = new KeyRing.Settings(
            "pressroom.webhooks.secret-key (PRESSROOM_WEBHOOKS_SECRET_KEY)", "pressroom.webhooks.secret-key-id",
            "pressroom.webhooks.previous-secret-keys");
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyRing keys;

    @Inject
    public SecretCipher(PressroomConfig config) {
        this(config.webhooks().secretKey(), config.webhooks().secretKeyId(),
                config.webhooks().previousSecretKeys().orElse(List.of()));
    }

    /**
     * @param key base64 of 32 bytes; absent leaves a cipher that refuses to seal or open anything sealed
     * @param previous earlier keys as {@code id:base64}: they still open what they sealed, during a rotation
     */
    SecretCipher(Optional<String> key, String keyId, List<String> previous) {
        this.keys = KeyRing.of(SETTINGS, key, keyId, previous, SecretCipher::decodeKey, () -> null);
    }

    SecretCipher(Optional<String> key, String keyId) {
        this(key, keyId, List.of());
    }

    /**
     * An API refuses to start without a key rather than store secrets it could not read on another pod; in
     * development and tests the profile sets a fixed one. A renderer, which sends no webhooks, is not asked.
     */
    static void check(@Observes StartupEvent event, PressroomConfig config) {
        require(config.role().runsApi(), config.webhooks().secretKey(), config.webhooks().secretKeyId());
    }

    static SecretCipher require(boolean runsApi, Optional<String> key, String keyId) {
        if (runsApi && key.isEmpty()) {
            throw new IllegalStateException(SETTINGS.key() + " is not set: an API needs it to store webhook secrets "
                    + "encrypted; make one with `head -c 32 /dev/urandom | base64`");
        }
        return new SecretCipher(key, keyId);
    }

    /** The stored form of a secret, sealed with the current key. */
    public String seal(String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, keys.currentId(), nonce, secret.getBytes(StandardCharsets.UTF_8));
        return currentPrefix() + Base64.getEncoder()
                .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    }

    /**
     * How every value sealed with the current key begins; a stored value that does not (sealed with an earlier key,
     * or plaintext from before encryption) is sealed again by {@link SecretReseal}.
     */
    public String currentPrefix() {
        return VERSION + ":" + keys.currentId() + ":";
    }

    /** The secret of a stored value; {@code null} stays {@code null}, a plaintext one written before reads as is. */
    public String open(String stored) {
        if (stored == null || !stored.startsWith(VERSION + ":")) {
            return stored;
        }
        int colon = stored.indexOf(':', VERSION.length() + 1);
        if (colon < 0) {
            throw new IllegalStateException("a stored webhook secret is malformed");
        }
        String id = stored.substring(VERSION.length() + 1, colon);
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("a stored webhook secret is malformed", e);
        }
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("a stored webhook secret is malformed");
        }
        byte[] nonce = Arrays.copyOf(sealed, NONCE_BYTES);
        byte[] body = Arrays.copyOfRange(sealed, NONCE_BYTES, sealed.length);
        return new String(crypt(Cipher.DECRYPT_MODE, id, nonce, body), StandardCharsets.UTF_8);
    }

    private byte[] crypt(int mode, String id, byte[] nonce, byte[] input) {
        byte[] key = keys.byId(id);
        if (key == null) {
            throw new IllegalStateException(id.equals(keys.currentId()) ? SETTINGS.key() + " is not set"
                    : "a stored webhook secret was sealed with key '" + id + "', which is neither "
                            + SETTINGS.keyId() + " ('" + keys.currentId() + "') nor listed in "
                            + SETTINGS.previousKeys());
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD((VERSION + ":" + id).getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            // AEADBadTagException when opening: altered, or sealed with another key of the same id
            throw new IllegalStateException("a stored webhook secret cannot be " + (mode == Cipher.ENCRYPT_MODE
                    ? "sealed"
                    : "opened: it was altered or sealed with another key"), e);
        }
    }

    private static byte[] decodeKey(String value) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not base64");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("has " + bytes.length + " bytes; it needs " + KEY_BYTES);
        }
        return bytes;
    }
}
