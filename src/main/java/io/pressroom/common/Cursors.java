package io.pressroom.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque page cursors: the position of the last item seen, base64url-encoded so that clients do not parse it. */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The decoded position, {@code null} for no cursor; 400 for a cursor this API did not hand out. */
    public static String decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            // what this API hands out is printable text; a NUL would even reach the database, which refuses it
            if (position.isBlank() || position.length() > 200
                    || position.chars().anyMatch(c -> Character.isISOControl(c) || c == '\uFFFD')) {
                throw new IllegalArgumentException();
            }
            return position;
        } catch (IllegalArgumentException e) {
            throw new Refusal.Invalid("cursor: is not a cursor returned by this API");
        }
    }

    /** 400 unless {@code 1 <= limit <= max}. */
    public static int checkLimit(Integer limit, int defaultLimit, int max) {
        if (limit == null) {
            return defaultLimit;
        }
        if (limit < 1 || limit > max) {
            throw new Refusal.Invalid("limit: must be between 1 and " + max);
        }
        return limit;
    }
}
