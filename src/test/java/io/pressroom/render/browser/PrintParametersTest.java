package io.pressroom.render.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrintParametersTest {

    @ParameterizedTest
    @CsvSource({ "1in, 1", "2.54cm, 1", "25.4mm, 1", "72pt, 1", "6pc, 1", "96px, 1", "96, 1", "0, 0", ".5in, 0.5",
            "' 10mm ', 0.3937" })
    void lengthsBecomeInches(String length, double inches) {
        assertThat(PrintParameters.inches(length)).isCloseTo(inches, within(0.001));
    }

    @Test
    void optionsMapToPrintToPdf() {
        Map<String, Object> params = PrintParameters.of(Options.options().format("letter").landscape()
                .margin(new Margin("1in", null, "", "10mm")).pageRanges(" 1-2 ").footer("<b>f</b>").build());

        assertThat(params).containsEntry("paperWidth", 8.5).containsEntry("paperHeight", 11.0)
                .containsEntry("landscape", true).containsEntry("marginTop", 1.0)
                .containsEntry("pageRanges", "1-2").containsEntry("displayHeaderFooter", true)
                .containsEntry("footerTemplate", "<b>f</b>").containsEntry("headerTemplate", "<span></span>")
                .doesNotContainKeys("marginRight", "marginBottom");
        assertThat((double) params.get("marginLeft")).isCloseTo(0.3937, within(0.001));
    }

    @Test
    void defaultsAreA4WithoutHeaderOrFooter() {
        Map<String, Object> params = PrintParameters.of(RenderOptions.defaults(30_000));

        assertThat(params).containsEntry("paperWidth", 8.27).containsEntry("displayHeaderFooter", false)
                .containsEntry("printBackground", true).containsEntry("scale", 1.0)
                .doesNotContainKeys("pageRanges", "marginTop", "headerTemplate");
    }

    @Test
    void badOptionsAreRefusedWithAMessage() {
        assertThatThrownBy(() -> PrintParameters.check(Options.options().format("B5").build()))
                .hasMessageContaining("unknown paper format 'B5'");
        assertThatThrownBy(() -> PrintParameters.check(Options.options().margin(new Margin("1em", null, null, null))
                .build())).hasMessageContaining("margin '1em'");
        assertThatThrownBy(() -> PrintParameters.check(new RenderOptions("A4", false, null, true, 3, null, false,
                null, null, "print", null, null, 0, 0, true, false))).hasMessageContaining("scale");
    }
}
