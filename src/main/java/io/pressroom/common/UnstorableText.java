package io.pressroom.common;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Text that PostgreSQL cannot store as it was sent. The NUL character (U+0000) is in no {@code text} and no
 * {@code jsonb} value: a statement that carries one fails. A lone UTF-16 surrogate (U+D800 to U+DFFF outside a pair)
 * is no character at all: the database driver writes it as {@code ?}, so a later read would differ from what the
 * client sent and was answered. Requests are refused with either before they touch anything (400 naming where it
 * was), and JSON that the application must store whatever it holds (what a renderer reports of a page: its console
 * errors, its failures) has the NUL replaced by U+FFFD, as browsers do.
 * <p>
 * In JSON text both can only be escapes, a backslash, {@code u} and four hex digits (a raw control character is not
 * valid JSON, and a surrogate has no UTF-8 encoding), so finding them needs no parse: {@link Escapes} follows the
 * text a character, or a byte, at a time. Request bodies are taken in UTF-8 only, as RFC 8259 asks of JSON between
 * systems: in UTF-16 or UTF-32, which Jackson would also read, the escapes' bytes are interleaved with zero bytes, and
 * a zero byte is in no valid UTF-8 JSON. Written by hand because Jackson has no setting to refuse either, and the
 * request bodies and the events it guards are read by different readers (the REST layer's, the event consumer's).
 */
public class UnstorableText {

    public static final String NUL = "must not contain the NUL character (\\u0000)";
    public static final String LONE_SURROGATE = "must not contain a lone UTF-16 surrogate (\\ud800 to \\udfff "
            + "outside a high-low pair)";
    /** A surrogate written in UTF-8's three-byte form: Jackson reads it as the character, though UTF-8 has none. */
    public static final String NOT_UTF8 = "is not valid UTF-8 (it encodes a UTF-16 surrogate, U+D800 to U+DFFF)";
    /**
     * A zero byte, the NUL character's in UTF-8 (a raw control character is no valid JSON) or half of an ASCII
     * character's in UTF-16 and UTF-32.
     */
    public static final String ZERO_BYTE = "is not valid UTF-8 (it has a zero byte: JSON is read in UTF-8 only, not "
            + "in UTF-16 or UTF-32)";

    /**
     * Finds the escapes of a NUL and of lone surrogates in JSON text fed to it in order, across as many reads as it
     * comes in.
     */
    public static final class Escapes {

        /**
         * 0: in plain text; 1: after a backslash; 2 to 5: after a backslash, {@code u} and that many hex digits less
         * two.
         */
        private int state;
        private int unit;
        /** After a high surrogate's escape: only a low one's may follow. */
        private boolean high;
        /** The previous byte was 0xED, which leads the three-byte forms of U+D000 to U+DFFF. */
        private boolean afterEd;

        /**
         * Feeds the next byte of JSON text in UTF-8 (from 0 to 255); the detail of what it ends, or null. Only a
         * surrogate's three-byte form and a zero byte are told as bytes; Jackson tells any other malformed UTF-8.
         */
        public String nextByte(int b) {
            if (state == 0 && !high && !afterEd && b != '\\' && b != 0xED && b != 0) {
                return null; // plain text, most of any body: one test per byte
            }
            if (b == 0) {
                return ZERO_BYTE;
            }
            boolean surrogate = afterEd && b >= 0xA0 && b <= 0xBF;
            afterEd = b == 0xED;
            return surrogate ? NOT_UTF8 : next(b);
        }

        /** Feeds the next character (or byte: an escape is ASCII); the detail of what it ends, or null. */
        public String next(int c) {
            switch (state) {
                case 0 -> {
                    if (c == '\\') {
                        state = 1;
                    } else if (high) {
                        return loneSurrogate();
                    }
                }
                case 1 -> {
                    state = c == 'u' ? 2 : 0; // any other escaped character, a backslash too, ends the escape
                    if (state == 0 && high) {
                        return loneSurrogate();
                    }
                    unit = 0;
                }
                default -> {
                    int digit = Character.digit(c, 16);
                    if (digit < 0) { // not JSON: its reader refuses it
                        state = 0;
                        high = false;
                        return null;
                    }
                    unit = unit << 4 | digit;
                    if (++state == 6) {
                        state = 0;
                        return escaped((char) unit);
                    }
                }
            }
            return null;
        }

        /** A NUL, which JSON's readers may replace, is told before a lone surrogate in the same escape. */
        private String escaped(char c) {
            boolean afterHigh = high;
            high = Character.isHighSurrogate(c);
            return c == 0 ? NUL : afterHigh != Character.isLowSurrogate(c) ? LONE_SURROGATE : null;
        }

        private String loneSurrogate() {
            high = false;
            return LONE_SURROGATE;
        }
    }

    /** The detail of a request body's refusal for what {@link Escapes#nextByte} found in it. */
    public static String inBody(String found) {
        return found.startsWith("is ") ? "request body " + found : "request body: text " + found;
    }

    /** The JSON text with each NUL replaced by U+FFFD; the same string when it holds none. */
    public static String replacedInJson(String json) {
        if (json == null || !json.contains("\\u0000")) {
            return json;
        }
        Escapes escapes = new Escapes();
        StringBuilder replaced = null;
        for (int i = 0; i < json.length(); i++) {
            if (NUL.equals(escapes.next(json.charAt(i)))) {
                replaced = replaced == null ? new StringBuilder(json) : replaced;
                replaced.replace(i - 3, i + 1, "fffd");
            }
        }
        return replaced == null ? json : replaced.toString();
    }

    /**
     * Before routing: a path or a query parameter with a NUL is refused with 400 (it can name nothing that exists,
     * and would reach the database as it is). Decoding a path or a query makes no lone surrogate.
     */
    @ServerRequestFilter(preMatching = true)
    public Response refuseInAddress(ContainerRequestContext request) {
        String where = request.getUriInfo().getPath().indexOf('\0') >= 0 ? "path"
                : request.getUriInfo().getQueryParameters().entrySet().stream()
                        .filter(parameter -> holdsNul(parameter.getKey(), parameter.getValue()))
                        .map(Map.Entry::getKey).sorted().findFirst().orElse(null);
        return where == null ? null
                : ProblemMapper.respond(ApiProblem.badRequest(where.replace('\0', '\uFFFD') + ": " + NUL),
                        request.getUriInfo());
    }

    private static boolean holdsNul(String name, List<String> values) {
        return name.indexOf('\0') >= 0 || values.stream().anyMatch(value -> value.indexOf('\0') >= 0);
    }
}
