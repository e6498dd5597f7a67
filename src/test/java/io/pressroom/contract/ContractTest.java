package io.pressroom.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The messages between the roles: what each side accepts, as the other side writes it. */
class ContractTest {

    /** As strict as the application's mapper (quarkus.jackson.fail-on-unknown-properties=true). */
    private final ObjectMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static RenderCommand command(JobOptions options) {
        return new RenderCommand(RenderCommand.TYPE, RenderCommand.SCHEMA_VERSION, "rj_1", "prj_1", 1, null, null,
                "<p>x</p>", null, Map.of(), null, options, List.of("pdf"), "invoice", 0, 180_000, false, null);
    }

    @Test
    void aCommandRoundTripsWithItsTypedOptionsAndBudget() throws Exception {
        RenderCommand sent = command(JobOptions.none().withRenderTimeoutMs(12_000));
        RenderCommand read = json.readValue(json.writeValueAsString(sent), RenderCommand.class);
        assertThat(read).isEqualTo(sent);
        assertThat(read.problems()).isEmpty();
        assertThat(read.options().renderTimeoutMs()).isEqualTo(12_000);
    }

    @Test
    void aCommandWithoutTheTestFlagIsNoTestJob() throws Exception {
        RenderCommand test = json.readValue(json.writeValueAsString(command(JobOptions.none()
                .withRenderTimeoutMs(1000))).replace("\"test\":false", "\"test\":true"),
                RenderCommand.class);
        assertThat(test.test()).isTrue();
        String older = json.writeValueAsString(command(JobOptions.none().withRenderTimeoutMs(1000)))
                .replace(",\"test\":false", "");
        assertThat(older).doesNotContain("\"test\"");
        assertThat(json.readValue(older, RenderCommand.class).test()).isFalse();
    }

    @Test
    void aCommandWithoutABudgetOrTemplateIsRefused() {
        assertThat(command(JobOptions.none()).problems()).containsExactly("options.renderTimeoutMs is required");
        assertThat(command(null).problems()).containsExactly("options.renderTimeoutMs is required");
        RenderCommand both = new RenderCommand(RenderCommand.TYPE, RenderCommand.SCHEMA_VERSION, "rj_1", "prj_1", 0,
                "templates/x/", null, "<p>x</p>", null, null, null, JobOptions.none().withRenderTimeoutMs(1000), null,
                "f", 0, 0, false, null);
        assertThat(both.problems()).containsExactlyInAnyOrder("attempt must be 1 or more",
                "exactly one of bundlePrefix, inlineHtml and inlineHtmlRef is required");
    }

    @Test
    void fieldsAddedByANewerVersionAreIgnored() throws Exception {
        String event = """
                {"type": "rendering", "schemaVersion": 1, "jobId": "rj_1", "projectId": "prj_1", "attempt": 1,
                 "at": 5, "addedLater": {"x": 1}}""";
        assertThat(json.readValue(event, RenderEvent.class).problems()).isEmpty();
        String control = """
                {"type": "cancel", "schemaVersion": 1, "jobId": "rj_1", "attempt": 2, "reason": "later"}""";
        assertThat(json.readValue(control, RenderControl.class)).isEqualTo(RenderControl.cancel("rj_1", 2));
    }

    @Test
    void eventsThatCannotBeAppliedSayWhy() throws Exception {
        String succeededWithoutOutput = """
                {"type": "succeeded", "schemaVersion": 1, "jobId": "rj_1", "projectId": "prj_1", "attempt": 1}""";
        assertThat(json.readValue(succeededWithoutOutput, RenderEvent.class).problems())
                .containsExactly("a succeeded event needs its output: storageKey, sha256, bytes and pageCount");
        String failedWithoutCode = """
                {"type": "failed", "schemaVersion": 1, "jobId": "rj_1", "projectId": "prj_1", "attempt": 1}""";
        assertThat(json.readValue(failedWithoutCode, RenderEvent.class).problems())
                .containsExactly("a failed event needs errorCode and retryable");
        assertThatThrownBy(() -> json.readValue("""
                {"type": "exploded", "jobId": "rj_1", "projectId": "prj_1", "attempt": 1}""", RenderEvent.class))
                .hasMessageContaining("exploded");
        assertThatThrownBy(() -> json.readValue("""
                {"type": "failed", "jobId": "rj_1", "projectId": "prj_1", "attempt": 1, "errorCode": "oops",
                 "retryable": true}""", RenderEvent.class)).hasMessageContaining("oops");
    }

    @Test
    void errorCodesAreTheStableLowerCaseNamesOfTheSpec() throws Exception {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code)).containsExactly("navigation_timeout",
                "render_timeout_exceeded", "render_crashed", "template_error", "resource_blocked", "output_too_large",
                "storage_error", "cancelled", "internal_error");
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(json.writeValueAsString(code)).isEqualTo("\"" + code.code() + "\"");
            assertThat(json.readValue("\"" + code.code() + "\"", ErrorCode.class)).isEqualTo(code);
        }
    }
}
