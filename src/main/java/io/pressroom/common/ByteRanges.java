package io.pressroom.common;

/**
 * The one byte range a download sends, from the request's {@code Range} and {@code If-Range} headers (RFC 9110
 * §14): {@code bytes=first-last}, {@code bytes=first-} (to the end) or {@code bytes=-n} (the last n bytes).
 * Written by hand: no library on the classpath offers this parser (Vert.x Web keeps its own inside
 * {@code StaticHandler}), and it is a few lines of RFC grammar, tested in {@code ByteRangesTest}.
 */
public final class ByteRanges {

    private ByteRanges() {
    }

    /** What the request asks for: its {@code Range} and {@code If-Range} headers, either may be null. */
    public record Asked(String range, String ifRange) {

        /** The whole object. */
        public static final Asked WHOLE = new Asked(null, null);

        /**
         * The part of an object of {@code length} bytes tagged {@code etag} (null: it has none) to send. The whole
         * when no range is asked, the header is malformed or asks for several ranges (RFC 9110 lets a server send
         * the whole instead), or {@code If-Range} names another version.
         *
         * @throws Unsatisfiable when the one range asked lies wholly beyond the object
         */
        public Slice slice(long length, String etag) {
            Slice whole = new Slice(0, length - 1, length, false);
            if (range == null || (ifRange != null && (etag == null || !ifRange.trim().equals(etag)))) {
                return whole;
            }
            String spec = range.trim();
            if (!spec.regionMatches(true, 0, "bytes=", 0, 6)) {
                return whole;
            }
            spec = spec.substring(6).trim();
            int dash = spec.indexOf('-');
            if (dash < 0 || spec.indexOf(',') >= 0) {
                return whole;
            }
            long first = number(spec.substring(0, dash).trim());
            long last = number(spec.substring(dash + 1).trim());
            if (first == MALFORMED || last == MALFORMED || (first == NONE && last == NONE)
                    || (first != NONE && last != NONE && last < first)) {
                return whole;
            }
            if (first == NONE) { // the last `last` bytes
                if (last == 0 || length == 0) {
                    throw new Unsatisfiable(length);
                }
                return new Slice(Math.max(0, length - last), length - 1, length, true);
            }
            if (first >= length) {
                throw new Unsatisfiable(length);
            }
            return new Slice(first, last == NONE ? length - 1 : Math.min(last, length - 1), length, true);
        }
    }

    /** Bytes {@code first} to {@code last} (inclusive) of an object of {@code length} bytes. */
    public record Slice(long first, long last, long length, boolean partial) {

        /** How many bytes the slice holds. */
        public long size() {
            return last - first + 1;
        }

        /** The {@code Content-Range} header of a 206 answer. */
        public String contentRange() {
            return "bytes " + first + "-" + last + "/" + length;
        }
    }

    /** The range asked lies beyond the object: 416 with {@code Content-Range: bytes *}{@code /length}. */
    public static final class Unsatisfiable extends RuntimeException {

        private final long length;

        public Unsatisfiable(long length) {
            super("the range asked for lies beyond the " + length + " bytes of the file", null, false, false);
            this.length = length;
        }

        public long length() {
            return length;
        }
    }

    private static final long NONE = -1;
    private static final long MALFORMED = -2;

    // digits only (no sign, no spaces inside); absurdly long numbers are as good as infinite
    private static long number(String digits) {
        if (digits.isEmpty()) {
            return NONE;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return MALFORMED;
            }
        }
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
