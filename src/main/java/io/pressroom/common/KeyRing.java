package io.pressroom.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The keys of one secret that can be rotated: the current one, which signs or seals, and earlier ones that still
 * verify or open while they are listed, each under the id that signed or sealed data names. Read from three settings:
 * the key, its id, and the earlier keys as {@code id:key} entries. Download links and webhook secrets at rest use
 * one each.
 */
public final class KeyRing {

    /** The names of the three settings, for error messages. */
    public record Settings(String key, String keyId, String previousKeys) {
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final String currentId;
    private final Map<String, byte[]> byId;

    private KeyRing(String currentId, Map<String, byte[]> byId) {
        this.currentId = currentId;
        this.byId = byId;
    }

    /**
     * Reads the configured keys; a malformed or repeated id, or a key {@code decode} refuses, is an error naming the
     * setting.
     *
     * @param decode a key's bytes from its text; throws {@link IllegalArgumentException} saying what is wrong
     * @param whenMissing the current key when none is configured: a generated one, {@code null} for none (nothing can
     *        then be signed or sealed), or it throws
     */
    public static KeyRing of(Settings settings, Optional<String> key, String keyId, List<String> previous,
            Function<String, byte[]> decode, Supplier<byte[]> whenMissing) {
        checkId(keyId, settings.keyId());
        Map<String, byte[]> keys = new LinkedHashMap<>();
        byte[] current = key.isPresent() && !key.get().isBlank() ? decoded(decode, key.get(), settings.key())
                : whenMissing.get();
        if (current != null) {
            keys.put(keyId, current);
        }
        for (String entry : previous) {
            int colon = entry.indexOf(':');
            String id = colon < 0 ? "" : entry.substring(0, colon).trim();
            checkId(id, settings.previousKeys() + " (each id:key)");
            if (keys.containsKey(id) || id.equals(keyId)) {
                throw new IllegalStateException(settings.previousKeys() + ": the key id '" + id + "' is used twice");
            }
            keys.put(id, decoded(decode, entry.substring(colon + 1).trim(), settings.previousKeys() + " '" + id + "'"));
        }
        return new KeyRing(keyId, Map.copyOf(keys));
    }

    /** The id of the key that signs or seals. */
    public String currentId() {
        return currentId;
    }

    /** The current key, or {@code null} when none is configured. */
    public byte[] current() {
        return byId.get(currentId);
    }

    /** The key with this id, or {@code null} when none is listed (any more). */
    public byte[] byId(String id) {
        return byId.get(id);
    }

    /** Every listed key, the current one among them. */
    public Iterable<byte[]> all() {
        return byId.values();
    }

    private static byte[] decoded(Function<String, byte[]> decode, String text, String where) {
        try {
            return decode.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " " + e.getMessage());
        }
    }

    private static void checkId(String id, String where) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalStateException(where + ": a key id is 1 to 32 letters, digits, '-' or '_'");
        }
    }
}
