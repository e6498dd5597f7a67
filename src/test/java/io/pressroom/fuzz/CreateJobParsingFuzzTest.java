package io.pressroom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

import jakarta.validation.ConstraintViolation;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;

import io.pressroom.job.service.CreateJob;

/**
 * Any body sent to {@code POST /v1/render-jobs} is read and validated into a job or refused as bad input (400):
 * Jackson reports malformed or unknown input as {@link JacksonException} (or {@link CharConversionException} for
 * bytes in no encoding), Bean Validation as violations; nothing else
 * may escape (that would be a 500) and no body may hang the parser.
 */
class CreateJobParsingFuzzTest {

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    @DictionaryEntries({ "\"html\"", "\"payload\"", "\"options\"", "\"deployId\"", "\"deployVersionId\"",
            "\"formats\"", "\"pdf\"", "\"png\"", "\"margin\"", "\"pageRanges\"", "\"scale\"", "\"format\"",
            "\"renderTimeoutMs\"", "\"waitFor\"", "\"selector\"", "\"webhookUrl\"", "\"outputMode\"", "\"queue\"",
            "\"headerTemplate\"", "\"waitDelayMs\"", "\"transient\"", "1e999", "-0", "null", "[[[[[[", "{\"" })
    void anyBodyIsAJobOrBadInput(byte[] body) {
        CreateJob job;
        try {
            job = Fuzzing.STRICT_JSON.readValue(body, CreateJob.class);
        } catch (JacksonException | CharConversionException badJson) {
            return; // ProblemMapper: 400 "request body is not valid JSON"
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
        if (job == null) {
            return; // the body "null": the resource's @NotNull answers 400
        }
        Set<ConstraintViolation<CreateJob>> violations = Fuzzing.VALIDATOR.validate(job);
        for (ConstraintViolation<CreateJob> violation : violations) {
            assertThat(violation.getPropertyPath().toString()).as("a violation names its field").isNotEmpty();
        }
    }
}
