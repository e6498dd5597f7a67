package io.pressroom.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a renderer reports on {@code pressroom.render.events} (key = job id): {@code rendering}, {@code succeeded}
 * (with the output) or {@code failed} (with a code and whether a retry may help), for one attempt. The API checks
 * {@link #problems()} on receipt: an event that names an unknown type or error code, or lacks what its type needs,
 * is refused (dead-lettered), never applied.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RenderEvent(
        Type type,
        int schemaVersion,
        String jobId,
        String projectId,
        int attempt,
        long at,
        Output output,
        /** Milliseconds spent in each phase: queueWait, merge, load, print, upload. */
        Map<String, Long> timings,
        ErrorCode errorCode,
        String errorMessage,
        Boolean retryable) {

    public static final int SCHEMA_VERSION = 1;

    /** The kinds of event; on the wire in lower case. */
    public enum Type {
        rendering,
        succeeded,
        failed
    }

    /**
     * The stored PDF and the attempt's render report ({@code report}: pages, bytes, sha256, timings, console errors and
     * refused requests, as {@code GET …/report} answers it), with the comparison against the command's baseline when
     * it had one. {@code reportKey} names a report stored as an object beside the PDF: renderers before the report
     * came with the event did that.
     */
    public record Output(String storageKey, String format, String contentType, long bytes, int pageCount,
            String sha256, String reportKey, int previewPages, long previewBytes, Diff diff,
            Map<String, Object> report) {
    }

    /**
     * The page-by-page comparison of a render with its baseline: pages 1 to {@code comparedPages} each have a
     * difference image ({@link StorageKeys#diffPage}); {@code unavailable} says why there is no comparison (the
     * baseline PDF is gone, or cannot be read), and then there are no pages.
     *
     * @param pageCount the new document's pages
     * @param baselinePageCount the baseline's pages
     * @param truncated whether the documents have pages beyond the diff's page cap, left uncompared
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Diff(int pageCount, int baselinePageCount, int comparedPages, boolean truncated, float dpi,
            int tolerance, String unavailable, List<DiffPage> pages) {
    }

    /** One compared page: how many of its pixels differ beyond the tolerance. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DiffPage(int n, long changedPixels, long totalPixels) {

        public double changedRatio() {
            return totalPixels == 0 ? 0 : (double) changedPixels / totalPixels;
        }
    }

    public static RenderEvent rendering(RenderCommand command, long at) {
        return new RenderEvent(Type.rendering, SCHEMA_VERSION, command.jobId(), command.projectId(),
                command.attempt(), at, null, null, null, null, null);
    }

    public static RenderEvent succeeded(RenderCommand command, long at, Output output, Map<String, Long> timings) {
        return new RenderEvent(Type.succeeded, SCHEMA_VERSION, command.jobId(), command.projectId(),
                command.attempt(), at, output, timings, null, null, null);
    }

    public static RenderEvent failed(RenderCommand command, long at, ErrorCode code, String message,
            boolean retryable) {
        return new RenderEvent(Type.failed, SCHEMA_VERSION, command.jobId(), command.projectId(),
                command.attempt(), at, null, null, code, message, retryable);
    }

    /** What is wrong with an event as read from Kafka; empty when it can be applied. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (type == null) {
            problems.add("type is required");
        }
        if (jobId == null || projectId == null) {
            problems.add("jobId and projectId are required");
        }
        if (attempt < 1) {
            problems.add("attempt must be 1 or more");
        }
        if (type == Type.succeeded && (output == null || output.storageKey() == null || output.sha256() == null
                || output.bytes() <= 0 || output.pageCount() < 1)) {
            problems.add("a succeeded event needs its output: storageKey, sha256, bytes and pageCount");
        }
        if (type == Type.failed && (errorCode == null || retryable == null)) {
            problems.add("a failed event needs errorCode and retryable");
        }
        return problems;
    }
}
