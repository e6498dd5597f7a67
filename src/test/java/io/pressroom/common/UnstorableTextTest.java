package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Finding NULs and lone surrogates in JSON text without parsing it, against Jackson's own writing and reading. */
class UnstorableTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Writes every character past ASCII as an escape, each half of a surrogate pair on its own. */
    private static final ObjectMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    /** The characters that make escapes hard to follow: backslashes, u, zeros, d, the NUL and surrogates. */
    private static final char[] TRICKY = { '\\', 'u', '0', 'd', '8', '\0', '"', 'a', '\u00e9', '\n', '\uFFFD', '\uD83D',
            '\uDE00', '\uDBFF', '\uDC00' };

    @Test
    void randomJsonIsFoundAndReplacedAsJacksonReadsIt() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 2_000; round++) {
            Map<String, Object> value = new LinkedHashMap<>();
            Map<String, Object> replaced = new LinkedHashMap<>(); // the same with U+FFFD for each NUL
            Set<String> unstorable = new LinkedHashSet<>();
            for (int field = 0; field < 1 + random.nextInt(4); field++) {
                String key = field + text(random); // distinct keys, also once NULs are replaced
                String text = text(random);
                value.put(key, text);
                replaced.put(withoutNul(key), withoutNul(text));
                unstorable.addAll(unstorable(key));
                unstorable.addAll(unstorable(text));
            }
            for (ObjectMapper writer : new ObjectMapper[] { JSON, ESCAPING }) {
                String json = writer.writeValueAsString(value);
                // Jackson's plain writing leaves a surrogate as the character, which is no escape
                Set<String> expected = new LinkedHashSet<>(unstorable);
                if (writer == JSON) {
                    expected.remove(UnstorableText.LONE_SURROGATE);
                }
                Set<String> found = found(json);
                if (writer == ESCAPING || !unstorable.contains(UnstorableText.LONE_SURROGATE)) {
                    // the same text as UTF-8 bytes, as a request body is scanned (no lone surrogate to encode)
                    assertThat(foundInBytes(json.getBytes(StandardCharsets.UTF_8))).as("seed %d: %s", seed, json)
                            .isEqualTo(found);
                }
                if (expected.contains(UnstorableText.NUL)) {
                    // one escape, a NUL right after a high surrogate's, is told as the NUL only
                    assertThat(found).as("seed %d: %s", seed, json).contains(UnstorableText.NUL)
                            .isSubsetOf(expected);
                } else {
                    assertThat(found).as("seed %d: %s", seed, json).isEqualTo(expected);
                }
                if (expected.contains(UnstorableText.LONE_SURROGATE)) {
                    continue; // Jackson reads a lone surrogate, but into no Map.equals-comparable text
                }
                assertThat(JSON.readValue(UnstorableText.replacedInJson(json), Map.class)).as("seed %d: %s", seed, json)
                        .isEqualTo(replaced);
            }
        }
    }

    @Test
    void anEscapedBackslashBeforeU0000IsText() throws Exception {
        String json = "{\"k\": \"\\\\u0000\"}"; // the six characters backslash, u, 0, 0, 0, 0
        assertThat(found(json)).isEmpty();
        assertThat(UnstorableText.replacedInJson(json)).isSameAs(json);
        assertThat(found("{\"k\": \"\\\\\\u0000\"}")).containsExactly(UnstorableText.NUL); // a backslash, then the NUL
    }

    @Test
    void aSurrogateIsLoneUnlessAHighOneIsFollowedAtOnceByALowOne() {
        assertThat(found("\"\\ud83d\\ude00\"")).isEmpty();
        assertThat(found("\"\\uD83D\\uDE00 \\uDBFF\\uDFFF\"")).isEmpty();
        for (String lone : new String[] { "\"\\ud800\"", "\"\\udc00\"", "\"\\ude00\\ud83d\"", "\"\\ud83d \\ude00\"",
                "\"\\ud83d\\n\\ude00\"", "\"\\ud83d\\ud83d\\ude00\"", "\"\\ud83d\\u0041\"", "\"\\ud83d\u00e9\"" }) {
            assertThat(found(lone)).as(lone).containsExactly(UnstorableText.LONE_SURROGATE);
        }
        assertThat(found("\"\\\\ud800\"")).as("an escaped backslash before ud800").isEmpty();
        // the NUL after a high surrogate is still replaced (the first version of the scan missed it)
        assertThat(UnstorableText.replacedInJson("{\"k\": \"\\ud83d\\u0000\"}"))
                .isEqualTo("{\"k\": \"\\ud83d\\ufffd\"}");
    }

    @Test
    void aSurrogateInUtf8sThreeByteFormIsNotUtf8() throws Exception {
        byte[] cesu = { '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"' };
        assertThat(JSON.readValue(cesu, String.class)).as("Jackson reads it").isEqualTo("\uD800");
        assertThat(foundInBytes(cesu)).containsExactly(UnstorableText.NOT_UTF8);
        // U+D7FF, the last character before the surrogates, and U+E000, the first after them
        assertThat(foundInBytes("\"\uD7FF\uE000\ud83d\ude00\"".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    /**
     * Jackson reads JSON in UTF-16 and UTF-32 too, where an escape's bytes are interleaved with zero bytes and a lone
     * surrogate's would pass unseen: such text is refused at its first zero byte, which its first character has.
     */
    @Test
    void textInUtf16OrUtf32IsRefusedAtItsFirstCharacter() throws Exception {
        String json = "{\"k\": \"\\ud800 \u00e9\"}";
        for (String charset : new String[] { "UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE" }) {
            byte[] bytes = json.getBytes(charset);
            assertThat(JSON.readTree(bytes).get("k").asText()).as("Jackson reads %s", charset).startsWith("\ud800");
            UnstorableText.Escapes escapes = new UnstorableText.Escapes();
            int at = 0;
            String found = null;
            while (found == null && at < bytes.length) {
                found = escapes.nextByte(bytes[at++] & 0xFF);
            }
            assertThat(found).as(charset).isEqualTo(UnstorableText.ZERO_BYTE);
            assertThat(at).as("%s: bytes read", charset).isLessThanOrEqualTo(4);
        }
        assertThat(UnstorableText.inBody(UnstorableText.ZERO_BYTE)).isEqualTo("request body is not valid UTF-8 (it has "
                + "a zero byte: JSON is read in UTF-8 only, not in UTF-16 or UTF-32)");
        assertThat(UnstorableText.inBody(UnstorableText.NUL))
                .isEqualTo("request body: text must not contain the NUL character (\\u0000)");
    }

    @Test
    void anEscapeSplitAcrossReadsIsFound() {
        UnstorableText.Escapes escapes = new UnstorableText.Escapes();
        String found = null;
        for (char c : "{\"k\": \"x\\u00".toCharArray()) {
            found = found == null ? escapes.next(c) : found;
        }
        assertThat(found).isNull();
        assertThat(escapes.next('0')).isNull();
        assertThat(escapes.next('0')).isEqualTo(UnstorableText.NUL);
    }

    private static Set<String> found(String json) {
        UnstorableText.Escapes escapes = new UnstorableText.Escapes();
        Set<String> found = new LinkedHashSet<>();
        for (int i = 0; i < json.length(); i++) {
            String problem = escapes.next(json.charAt(i));
            if (problem != null) {
                found.add(problem);
            }
        }
        return found;
    }

    private static Set<String> foundInBytes(byte[] json) {
        UnstorableText.Escapes escapes = new UnstorableText.Escapes();
        Set<String> found = new LinkedHashSet<>();
        for (byte b : json) {
            String problem = escapes.nextByte(b & 0xFF);
            if (problem != null) {
                found.add(problem);
            }
        }
        return found;
    }

    /** What the text holds that PostgreSQL cannot store, as Java sees its characters. */
    private static Set<String> unstorable(String text) {
        Set<String> found = new LinkedHashSet<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                found.add(UnstorableText.NUL);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                found.add(UnstorableText.LONE_SURROGATE);
            }
        }
        return found;
    }

    private static String withoutNul(String text) {
        return text.replace('\0', '\uFFFD');
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            text.append(TRICKY[random.nextInt(TRICKY.length)]);
        }
        return text.toString();
    }
}
