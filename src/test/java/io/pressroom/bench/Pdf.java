package io.pressroom.bench;

import java.nio.charset.StandardCharsets;

/** The least a benchmark checks of what it got: a whole PDF, not an error page. */
final class Pdf {

    private Pdf() {
    }

    static void check(byte[] bytes) {
        if (bytes == null || bytes.length < 100
                || !new String(bytes, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-")) {
            throw new IllegalStateException("not a PDF (" + (bytes == null ? 0 : bytes.length) + " bytes)");
        }
    }
}
