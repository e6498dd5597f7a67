package io.pressroom.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.pressroom.bundle.TemplateBundle;
import io.pressroom.common.Refusal;

class TemplateBundleTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static TemplateBundle.Builder builder() {
        return new TemplateBundle.Builder(1000, 3).add("html", "index.html", "text/html", bytes("<p>{{x}}</p>"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "../secret", "a/../../b", "/etc/passwd", "a\\b", "", ".hidden", "a//b", "a/./b",
            "C:/x", "file:x", "a b" })
    void unsafePathsAreRefusedNamingTheField(String path) {
        assertThatThrownBy(() -> builder().add("assets[0]", path, "text/css", bytes("x")))
                .isInstanceOfSatisfying(Refusal.Invalid.class,
                        p -> assertThat(p.detail()).startsWith("assets[0].path"));
    }

    @Test
    void limitsAreEnforced() {
        assertThatThrownBy(() -> builder().add("assets[0]", "big.bin", "application/octet-stream", new byte[1000]))
                .isInstanceOf(Refusal.TooLarge.class);
        TemplateBundle.Builder full = builder();
        for (int i = 0; i < 3; i++) {
            full.add("assets[" + i + "]", "a" + i + ".css", "text/css", bytes("x"));
        }
        assertThatThrownBy(() -> full.add("assets[3]", "a3.css", "text/css", bytes("x")))
                .isInstanceOfSatisfying(Refusal.Invalid.class, p -> assertThat(p.detail()).contains("more than 3"));
        assertThatThrownBy(() -> builder().add("assets[0]", "index.html", "text/html", bytes("x")))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> builder().add("assets[0]", "a.css", "not a type", bytes("x")))
                .hasMessageContaining("assets[0].contentType");
        assertThatThrownBy(() -> new TemplateBundle.Builder(1000, 3).add("a", "a.css", "text/css", bytes("x")).build())
                .hasMessageContaining("no index.html");
    }

    @Test
    void digestDependsOnContentNotOnUploadOrder() {
        TemplateBundle one = builder().add("a", "css/a.css", "text/css", bytes("a"))
                .add("b", "img/b.png", "image/png", bytes("b")).build();
        TemplateBundle two = builder().add("b", "img/b.png", "image/png", bytes("b"))
                .add("a", "css/a.css", "text/css", bytes("a")).build();
        TemplateBundle changed = builder().add("b", "img/b.png", "image/png", bytes("B"))
                .add("a", "css/a.css", "text/css", bytes("a")).build();
        assertThat(one.sha256()).isEqualTo(two.sha256()).matches("[0-9a-f]{64}");
        assertThat(changed.sha256()).isNotEqualTo(one.sha256());
        assertThat(one.bytes()).isEqualTo("<p>{{x}}</p>".length() + 2);
        assertThat(one.manifest()).extracting(f -> f.path()).containsExactly("css/a.css", "img/b.png", "index.html");
    }
}
