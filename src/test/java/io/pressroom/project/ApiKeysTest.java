package io.pressroom.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.pressroom.project.service.ApiKeys;

class ApiKeysTest {

    @Test
    void generatedKeysHaveTheDocumentedFormatAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeys.generate();
            assertThat(key).startsWith("prk_").hasSize(47);
            assertThat(ApiKeys.looksValid(key)).isTrue();
            assertThat(seen.add(key)).isTrue();
        }
    }

    @Test
    void hashIsStableHexSha256AndNeverTheKeyItself() {
        String key = ApiKeys.generate();
        assertThat(ApiKeys.hash(key)).isEqualTo(ApiKeys.hash(key)).hasSize(64).matches("[0-9a-f]{64}")
                .doesNotContain(key.substring(4));
        assertThat(ApiKeys.hash(key)).isNotEqualTo(ApiKeys.hash(ApiKeys.generate()));
        // a known vector, so that a change of algorithm cannot slip through
        assertThat(ApiKeys.hash("prk_test")).isEqualTo("93b4a26223f8f9db70ad80a3ff710e81876add56dabc9ff48ce6c5e35c73b868");
    }

    @Test
    void malformedKeysAreRecognisedWithoutALookup() {
        assertThat(ApiKeys.looksValid(null)).isFalse();
        assertThat(ApiKeys.looksValid("")).isFalse();
        assertThat(ApiKeys.looksValid("prk_short")).isFalse();
        assertThat(ApiKeys.looksValid("pra_" + ApiKeys.generate().substring(4))).isFalse();
        assertThat(ApiKeys.looksValid(ApiKeys.generate() + "x")).isFalse();
    }

    @Test
    void hintShowsOnlyTheBeginning() {
        String key = ApiKeys.generate();
        assertThat(ApiKeys.hint(key)).hasSize(10).isEqualTo(key.substring(0, 10));
    }

    @Test
    void adminSecretComparison() {
        assertThat(ApiKeys.sameSecret("pra_secret", "pra_secret")).isTrue();
        assertThat(ApiKeys.sameSecret("pra_secret", "pra_secreT")).isFalse();
        assertThat(ApiKeys.sameSecret(null, "x")).isFalse();
        assertThat(ApiKeys.sameSecret("x", null)).isFalse();
    }
}
