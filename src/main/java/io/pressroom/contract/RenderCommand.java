package io.pressroom.contract;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The command the API sends to {@code pressroom.render.commands.<queue>} (key = job id): render attempt
 * {@code attempt} of a job. Everything the renderer needs is in it or in object storage; it never reads the
 * database.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RenderCommand(
        String type,
        int schemaVersion,
        String jobId,
        String projectId,
        int attempt,
        /** Template bundle prefix in storage, or null for an inline-html job. */
        String bundlePrefix,
        String deployVersionId,
        String inlineHtml,
        /** Inline payload, or null when it is stored under {@link #payloadRef}. */
        Map<String, Object> payload,
        String payloadRef,
        Map<String, Object> options,
        List<String> formats,
        String fileName,
        long requestedAt) {

    public static final String TYPE = "render";
    public static final int SCHEMA_VERSION = 1;
}
