package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Finding and replacing the NUL character in JSON text without parsing it, against Jackson's own reading. */
class NulCharactersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The characters that make escapes hard to follow: backslashes, the letter u, zeros, the NUL itself. */
    private static final char[] TRICKY = { '\\', 'u', '0', '\0', '"', 'a', '\u00e9', '\n', '\uFFFD' };

    @Test
    void randomJsonIsFoundAndReplacedAsJacksonReadsIt() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 2_000; round++) {
            Map<String, Object> value = new LinkedHashMap<>();
            Map<String, Object> replaced = new LinkedHashMap<>(); // the same with U+FFFD for each NUL
            boolean holdsNul = false;
            for (int field = 0; field < 1 + random.nextInt(4); field++) {
                String key = field + text(random); // distinct keys, also once NULs are replaced
                String text = text(random);
                value.put(key, text);
                replaced.put(withoutNul(key), withoutNul(text));
                holdsNul |= key.indexOf('\0') >= 0 || text.indexOf('\0') >= 0;
            }
            String json = JSON.writeValueAsString(value);

            assertThat(found(json)).as("seed %d: %s", seed, json).isEqualTo(holdsNul);
            assertThat(JSON.readValue(NulCharacters.replacedInJson(json), Map.class)).as("seed %d: %s", seed, json)
                    .isEqualTo(replaced);
        }
    }

    @Test
    void anEscapedBackslashBeforeU0000IsText() throws Exception {
        String json = "{\"k\": \"\\\\u0000\"}"; // the six characters backslash, u, 0, 0, 0, 0
        assertThat(found(json)).isFalse();
        assertThat(NulCharacters.replacedInJson(json)).isSameAs(json);
        assertThat(found("{\"k\": \"\\\\\\u0000\"}")).isTrue(); // a backslash, then the NUL
    }

    @Test
    void anEscapeSplitAcrossReadsIsFound() {
        NulCharacters.Escapes escapes = new NulCharacters.Escapes();
        boolean found = false;
        for (char c : "{\"k\": \"x\\u00".toCharArray()) {
            found |= escapes.endsNul(c);
        }
        assertThat(found).isFalse();
        assertThat(escapes.endsNul('0')).isFalse();
        assertThat(escapes.endsNul('0')).isTrue();
    }

    private static boolean found(String json) {
        NulCharacters.Escapes escapes = new NulCharacters.Escapes();
        boolean found = false;
        for (int i = 0; i < json.length(); i++) {
            found |= escapes.endsNul(json.charAt(i));
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
