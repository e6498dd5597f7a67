package io.pressroom.job.service;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import io.pressroom.common.KeyRing;

/**
 * The keys of download links ({@code pressroom.downloads.signing-key}, {@code signing-key-id},
 * {@code previous-signing-keys} as {@code id:secret}): the current one signs, earlier ones still verify during a
 * rotation. Every key has at least {@link #MIN_BYTES} bytes.
 */
public final class SigningKeys {

    /** HMAC-SHA256 wants a key as long as its output; shorter ones are guessable sooner. */
    public static final int MIN_BYTES = 32;
    private static final KeyRing.Settings SETTINGS = new KeyRing.Settings(
            "pressroom.downloads.signing-key (PRESSROOM_DOWNLOADS_SIGNING_KEY)", "pressroom.downloads.signing-key-id",
            "pressroom.downloads.previous-signing-keys");

    private SigningKeys() {
    }

    /**
     * Reads the configured keys. Without a current key, {@code mayGenerate} (local development and tests) makes a
     * random one for this process; otherwise it is an error, as is any key shorter than {@link #MIN_BYTES} bytes or a
     * malformed or repeated id.
     */
    public static KeyRing of(Optional<String> key, String keyId, List<String> previous, boolean mayGenerate) {
        return KeyRing.of(SETTINGS, key, keyId, previous, SigningKeys::secret, () -> {
            if (!mayGenerate) {
                throw new IllegalStateException(SETTINGS.key() + " is not set: every API pod needs the same secret of "
                        + "at least " + MIN_BYTES + " bytes to sign download links, e.g. $(head -c 32 /dev/urandom | "
                        + "base64)");
            }
            byte[] random = new byte[MIN_BYTES];
            new SecureRandom().nextBytes(random);
            return random;
        });
    }

    private static byte[] secret(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("has " + bytes.length + " bytes; it needs at least " + MIN_BYTES);
        }
        return bytes;
    }
}
