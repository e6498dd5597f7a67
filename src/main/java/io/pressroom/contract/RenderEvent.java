package io.pressroom.contract;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a renderer reports on {@code pressroom.render.events} (key = job id): {@code rendering}, {@code succeeded}
 * (with the output) or {@code failed} (with a code and whether a retry may help), for one attempt.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RenderEvent(
        String type,
        int schemaVersion,
        String jobId,
        String projectId,
        int attempt,
        long at,
        Output output,
        /** Milliseconds spent in each phase: queueWait, merge, load, print, upload. */
        Map<String, Long> timings,
        String errorCode,
        String errorMessage,
        Boolean retryable) {

    public static final String RENDERING = "rendering";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** The stored PDF, and the stored render report of the attempt (null when it could not be written). */
    public record Output(String storageKey, String format, String contentType, long bytes, int pageCount,
            String sha256, String reportKey, int previewPages, long previewBytes) {
    }

    public static RenderEvent rendering(RenderCommand command, long at) {
        return new RenderEvent(RENDERING, RenderCommand.SCHEMA_VERSION, command.jobId(), command.projectId(),
                command.attempt(), at, null, null, null, null, null);
    }

    public static RenderEvent succeeded(RenderCommand command, long at, Output output, Map<String, Long> timings) {
        return new RenderEvent(SUCCEEDED, RenderCommand.SCHEMA_VERSION, command.jobId(), command.projectId(),
                command.attempt(), at, output, timings, null, null, null);
    }

    public static RenderEvent failed(RenderCommand command, long at, String code, String message, boolean retryable) {
        return new RenderEvent(FAILED, RenderCommand.SCHEMA_VERSION, command.jobId(), command.projectId(),
                command.attempt(), at, null, null, code, message, retryable);
    }
}
