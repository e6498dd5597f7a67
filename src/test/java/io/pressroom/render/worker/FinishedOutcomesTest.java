package io.pressroom.render.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pressroom.contract.ErrorCode;
import io.pressroom.contract.RenderEvent;

/**
 * The outcomes a renderer keeps to answer a command delivered again are weighed by what they hold: a render report
 * can carry 100 console errors of 2,000 characters, and 20,000 such outcomes would fill any heap.
 */
class FinishedOutcomesTest {

    private static RenderEvent succeeded(List<String> consoleErrors) {
        Map<String, Object> report = Map.of("pages", 1, "consoleErrors", consoleErrors, "blockedRequests", List.of());
        RenderEvent.Output output = new RenderEvent.Output("outputs/prj/rj/1/r/rj.pdf", "pdf", "application/pdf",
                5_000, 1, "00", null, 0, 0, null, report);
        return new RenderEvent(RenderEvent.Type.succeeded, RenderEvent.SCHEMA_VERSION, "rj", "prj", 1, 0L, output,
                Map.of(), null, null, null);
    }

    @Test
    void aReportsConsoleErrorsCountInItsOutcomesWeight() {
        int quiet = RenderWorker.weight(succeeded(List.of()));
        int noisy = RenderWorker.weight(succeeded(Collections.nCopies(100, "x".repeat(2_000))));

        assertThat(quiet).isEqualTo(1_024);
        assertThat(noisy).isGreaterThan(200_000);
        // so the kept outcomes of such renders stay within the bound, however many there are
        assertThat(RenderWorker.FINISHED_BYTES / noisy).isLessThan(200);
    }

    @Test
    void aFailedOutcomeWeighsItsFixedPart() {
        RenderEvent failed = new RenderEvent(RenderEvent.Type.failed, RenderEvent.SCHEMA_VERSION, "rj", "prj", 1, 0L,
                null, null, ErrorCode.RENDER_TIMEOUT_EXCEEDED, "too slow", true);

        assertThat(RenderWorker.weight(failed)).isEqualTo(1_024);
    }
}
