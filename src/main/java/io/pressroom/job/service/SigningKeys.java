package io.pressroom.job.service;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The keys of download links: the current one, which signs, and earlier ones that still verify during a rotation,
 * each with the id a link names ({@code pressroom.downloads.signing-key}, {@code signing-key-id},
 * {@code previous-signing-keys} as {@code id:secret}). Every key has at least {@link #MIN_BYTES} bytes.
 */
public final class SigningKeys {

    /** HMAC-SHA256 wants a key as long as its output; shorter ones are guessable sooner. */
    public static final int MIN_BYTES = 32;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final String currentId;
    private final Map<String, byte[]> byId;

    private SigningKeys(String currentId, Map<String, byte[]> byId) {
        this.currentId = currentId;
        this.byId = byId;
    }

    /**
     * Reads the configured keys. Without a current key, {@code mayGenerate} (local development and tests) makes a
     * random one for this process; otherwise it is an error, as is any key shorter than {@link #MIN_BYTES} bytes or a
     * malformed or repeated id.
     */
    public static SigningKeys of(Optional<String> key, String keyId, List<String> previous, boolean mayGenerate) {
        checkId(keyId, "pressroom.downloads.signing-key-id");
        Map<String, byte[]> keys = new LinkedHashMap<>();
        if (key.isPresent() && !key.get().isBlank()) {
            keys.put(keyId, secret(key.get(), "pressroom.downloads.signing-key (PRESSROOM_DOWNLOADS_SIGNING_KEY)"));
        } else if (mayGenerate) {
            byte[] random = new byte[MIN_BYTES];
            new SecureRandom().nextBytes(random);
            keys.put(keyId, random);
        } else {
            throw new IllegalStateException("pressroom.downloads.signing-key (PRESSROOM_DOWNLOADS_SIGNING_KEY) is not "
                    + "set: every API pod needs the same secret of at least " + MIN_BYTES + " bytes to sign download "
                    + "links, e.g. $(head -c 32 /dev/urandom | base64)");
        }
        for (String entry : previous) {
            int colon = entry.indexOf(':');
            String id = colon < 0 ? "" : entry.substring(0, colon).trim();
            checkId(id, "pressroom.downloads.previous-signing-keys (each id:secret)");
            if (keys.containsKey(id)) {
                throw new IllegalStateException("pressroom.downloads.previous-signing-keys: the key id '" + id
                        + "' is used twice");
            }
            keys.put(id, secret(entry.substring(colon + 1).trim(), "pressroom.downloads.previous-signing-keys '" + id
                    + "'"));
        }
        return new SigningKeys(keyId, Map.copyOf(keys));
    }

    /** The id of the key that signs new links. */
    public String currentId() {
        return currentId;
    }

    /** The current key. */
    public byte[] current() {
        return byId.get(currentId);
    }

    /** The key with this id, or null when none is listed (any more). */
    public byte[] byId(String id) {
        return byId.get(id);
    }

    /** Every listed key, the current one among them. */
    public Iterable<byte[]> all() {
        return byId.values();
    }

    private static byte[] secret(String value, String where) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_BYTES) {
            throw new IllegalStateException(where + " has " + bytes.length + " bytes; it needs at least " + MIN_BYTES);
        }
        return bytes;
    }

    private static void checkId(String id, String where) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalStateException(where + ": a key id is 1 to 32 letters, digits, '-' or '_'");
        }
    }
}
