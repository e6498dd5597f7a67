package io.pressroom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.common.Refusal;

/**
 * What the fuzz targets share. Each target runs its committed inputs as a regression test in every build
 * ({@code <Class>Inputs/<method>/} next to it) and is fuzzed by {@code deploy/local/fuzz.sh} (docs/operations.md).
 */
public final class Fuzzing {

    /** How long one fuzzing run of one target lasts; {@code fuzz.sh} repeats runs, keeping the corpus, for longer. */
    public static final String MAX_DURATION = "20s";

    /** Jackson as the API reads request bodies: unknown properties are refused. */
    public static final ObjectMapper STRICT_JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Bean Validation as the API applies it, without the expression language the tests do not need. */
    public static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private Fuzzing() {
    }

    /** A refusal's detail goes to the client: it must say something, and never carry a stack trace. */
    public static void checkDetail(Refusal refusal) {
        assertThat(refusal.detail()).isNotBlank().doesNotContain("\tat ").doesNotContain("Exception");
    }
}
