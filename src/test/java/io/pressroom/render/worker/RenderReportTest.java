package io.pressroom.render.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.contract.RenderCommand;
import io.pressroom.contract.RenderEvent;
import io.pressroom.render.browser.BlockedRequest;
import io.pressroom.render.browser.RenderResult;

/** The render report travels in the succeeded event, so a template cannot make it larger than a Kafka message. */
class RenderReportTest {

    private static final RenderCommand COMMAND = new RenderCommand(RenderCommand.TYPE, RenderCommand.SCHEMA_VERSION,
            "rj_1", "prj_1", 1, null, null, "<p>x</p>", null, Map.of(), null, null, List.of("pdf"), "rj_1", 0L,
            1_000L, false);

    private static Map<String, Object> report(List<BlockedRequest> blocked, List<String> consoleErrors) {
        return RenderExecutor.report(COMMAND, new RenderResult(new byte[100], blocked, consoleErrors, 1, 1), 1, "00",
                Map.of("load", 1L));
    }

    @Test
    void aReportWithinItsBudgetIsWhole() {
        Map<String, Object> report = report(List.of(new BlockedRequest("http://127.0.0.1/a.css", "loopback")),
                List.of("ReferenceError: x is not defined"));

        assertThat((List<?>) report.get("blockedRequests")).hasSize(1);
        assertThat((List<?>) report.get("consoleErrors")).hasSize(1);
        assertThat(report).doesNotContainKey("truncated");
    }

    @Test
    void theMostAHostileTemplateCanLogAndRequestStaysWithinAKafkaMessage() throws Exception {
        // what the sandbox and the console record at most: 500 refused URLs of 2,048 characters, 100 errors of 2,000,
        // each character one that JSON escapes as \\u00XX
        String url = "http://127.0.0.1/" + "\u0001".repeat(2_048 - 17);
        List<BlockedRequest> blocked = Collections.nCopies(500, new BlockedRequest(url, "loopback"));
        List<String> errors = Collections.nCopies(100, "\u0002".repeat(2_000));

        Map<String, Object> report = report(blocked, errors);
        RenderEvent.Output output = new RenderEvent.Output("outputs/prj_1/rj_1/1/r/rj_1.pdf", "pdf", "application/pdf",
                100, 1, "00", null, 0, 0, null, report);
        RenderEvent event = RenderEvent.succeeded(COMMAND, 0L, output, Map.of("load", 1L));

        assertThat(report).containsEntry("truncated", true);
        // each list keeps its first items, so a flooded console does not hide what the sandbox refused
        assertThat((List<?>) report.get("consoleErrors")).isNotEmpty().hasSizeLessThan(errors.size());
        assertThat((List<?>) report.get("blockedRequests")).isNotEmpty().hasSizeLessThan(blocked.size());
        assertThat(new ObjectMapper().writeValueAsBytes(event).length).isLessThan(1024 * 1024);
    }
}
