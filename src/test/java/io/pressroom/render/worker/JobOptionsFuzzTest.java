package io.pressroom.render.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.pressroom.contract.JobOptions;
import io.pressroom.fuzz.Fuzzing;
import io.pressroom.render.browser.PrintParameters;

/**
 * Whatever render options the API accepts, the renderer can print: an option that passes validation but that the
 * renderer refuses would fail jobs minutes later instead of answering 400 at once.
 */
class JobOptionsFuzzTest {

    private static final String[] FORMATS = { "A0", "a1", "A2", "A3", "A4", "a5", "A6", "Letter", "LEGAL", "tabloid",
            "Ledger", "A7", "B5", "" };
    private static final String[] LENGTHS = { "0", "10mm", "0.5in", "20px", "2.54cm", "1e3mm", "10pt", ".5in",
            "99999999999999999999mm", " 1mm" };

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void optionsTheApiAcceptsAreOptionsTheRendererPrints(FuzzedDataProvider data) {
        JobOptions options = new JobOptions(
                data.consumeBoolean() ? null : pick(data, FORMATS),
                data.consumeBoolean() ? null : data.consumeBoolean(),
                data.consumeBoolean() ? null
                        : new JobOptions.Margin(length(data), length(data), length(data), length(data)),
                data.consumeBoolean() ? null : data.consumeBoolean(),
                data.consumeBoolean() ? null : data.consumeRegularDouble(-1, 3),
                data.consumeBoolean() ? null : data.consumeString(40),
                data.consumeBoolean() ? null : data.consumeBoolean(),
                data.consumeBoolean() ? null : data.consumeString(200),
                data.consumeBoolean() ? null : data.consumeString(200),
                data.consumeBoolean() ? null : data.pickValue(new String[] { "print", "screen", "tv" }),
                data.consumeBoolean() ? null : new JobOptions.WaitFor(data.consumeString(50)),
                data.consumeBoolean() ? null : data.consumeString(50),
                data.consumeBoolean() ? null : data.consumeLong(-1, 70_000),
                data.consumeLong(0, 700_000),
                data.consumeBoolean() ? null : data.consumeBoolean(),
                null, data.consumeBoolean() ? null : data.consumeBoolean(), null, null);
        if (!Fuzzing.VALIDATOR.validate(options).isEmpty()) {
            return;
        }
        assertThatCode(() -> PrintParameters.check(RenderOptionsMapper.toRenderOptions(options, 2000)))
                .as("accepted by the API: %s", options).doesNotThrowAnyException();
        assertThat(options.renderTimeoutMs()).isBetween(1000L, 600_000L);
    }

    private static String length(FuzzedDataProvider data) {
        return data.consumeBoolean() ? null : data.consumeBoolean() ? pick(data, LENGTHS) : data.consumeString(12);
    }

    private static String pick(FuzzedDataProvider data, String[] values) {
        return data.pickValue(values);
    }
}
