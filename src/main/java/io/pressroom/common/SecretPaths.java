package io.pressroom.common;

import java.util.regex.Pattern;

/**
 * Paths that carry a credential: a signed download link's token is its last segment
 * ({@code /v1/downloads/{token}}), and whoever reads a log line or a trace with it could use the link. Everything that
 * writes a request path where others read it (logs, trace attributes) writes {@link #redact} of it.
 */
public final class SecretPaths {

    public static final String REDACTED = "[redacted]";
    private static final Pattern DOWNLOAD_TOKEN = Pattern.compile("(/v1/downloads/)[^/?#]+");

    private SecretPaths() {
    }

    /** The path, URL or target with any download token replaced by {@value #REDACTED}; null stays null. */
    public static String redact(String path) {
        return path == null ? null : DOWNLOAD_TOKEN.matcher(path).replaceAll("$1" + REDACTED);
    }
}
