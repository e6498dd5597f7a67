package io.pressroom.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The command the API sends to {@code pressroom.render.commands.<queue>} (key = job id): render attempt
 * {@code attempt} of a job. Everything the renderer needs is in it or in object storage; it never reads the
 * database. The API fills every default in: {@code options.renderTimeoutMs} is the effective budget, so both roles
 * always agree on it and the renderer has no default of its own.
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
        /** Inline template, or null when it is stored under {@link #inlineHtmlRef} (or the job has a bundle). */
        String inlineHtml,
        /** Where a large inline template is stored; see {@link StorageKeys#html}. */
        String inlineHtmlRef,
        /** Inline payload, or null when it is stored under {@link #payloadRef}. */
        Map<String, Object> payload,
        String payloadRef,
        JobOptions options,
        List<String> formats,
        String fileName,
        long requestedAt,
        /** How long the renderer keeps trying object storage before the attempt fails with storage_error. */
        long storageRetryMs,
        /** A test job: the renderer stamps a TEST watermark on every page. Absent (an older API) = false. */
        boolean test,
        /** Compare the PDF with a baseline's, page by page (issue 15, {@code baselineJobId}); null = no diff. */
        Baseline baseline,
        /**
         * With png in {@link #formats}: of how many first pages to make PNG previews (a template preview needs one);
         * absent = as many as the renderer makes (50).
         */
        Integer previewPages) {

    /**
     * What the render is compared with: the stored PDF of a succeeded job ({@code pdfKey}), or, for the release
     * gate of {@code POST /v1/deploys/{id}/versions?verify=true}, another template version rendered with the same
     * payload and options ({@code bundlePrefix}). Exactly one of the two.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Baseline(String jobId, String pdfKey, String versionId, String bundlePrefix) {
    }

    /** A command without a baseline (the shape before issue 15's diff). */
    public RenderCommand(String type, int schemaVersion, String jobId, String projectId, int attempt,
            String bundlePrefix, String deployVersionId, String inlineHtml, String inlineHtmlRef,
            Map<String, Object> payload, String payloadRef, JobOptions options, List<String> formats, String fileName,
            long requestedAt, long storageRetryMs, boolean test) {
        this(type, schemaVersion, jobId, projectId, attempt, bundlePrefix, deployVersionId, inlineHtml, inlineHtmlRef,
                payload, payloadRef, options, formats, fileName, requestedAt, storageRetryMs, test, null, null);
    }

    public static final String TYPE = "render";
    /** 2: {@code options} is typed and always carries {@code renderTimeoutMs}. */
    public static final int SCHEMA_VERSION = 2;

    /** What is wrong with a command as read from Kafka; empty when it can be rendered. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!TYPE.equals(type)) {
            problems.add("type is not " + TYPE);
        }
        if (schemaVersion != SCHEMA_VERSION) {
            problems.add("schemaVersion " + schemaVersion + " is not " + SCHEMA_VERSION);
        }
        if (jobId == null || projectId == null || fileName == null) {
            problems.add("jobId, projectId and fileName are required");
        }
        if (attempt < 1) {
            problems.add("attempt must be 1 or more");
        }
        if ((bundlePrefix != null ? 1 : 0) + (inlineHtml != null ? 1 : 0) + (inlineHtmlRef != null ? 1 : 0) != 1) {
            problems.add("exactly one of bundlePrefix, inlineHtml and inlineHtmlRef is required");
        }
        if (options == null || options.renderTimeoutMs() == null || options.renderTimeoutMs() < 1) {
            problems.add("options.renderTimeoutMs is required");
        }
        if (baseline != null && (baseline.pdfKey() == null) == (baseline.bundlePrefix() == null)) {
            problems.add("baseline needs exactly one of pdfKey and bundlePrefix");
        }
        if (previewPages != null && previewPages < 1) {
            problems.add("previewPages must be 1 or more");
        }
        if (storageRetryMs < 0) {
            problems.add("storageRetryMs must be 0 or more");
        }
        return problems;
    }
}
