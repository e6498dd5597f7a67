package io.pressroom.job.service;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.pressroom.contract.JobOptions;

/** The body of {@code POST /v1/render-jobs}. */
public record CreateJob(
        @Size(min = 1, max = 100) String deployId,
        @Size(min = 1, max = 100) String deployVersionId,
        @Size(min = 1, max = 2_000_000) String html,
        @Size(max = 200) String businessKey,
        Map<String, Object> payload,
        @Pattern(regexp = "managed|transient", message = "must be managed or transient") String outputMode,
        @Size(min = 1, max = 2) List<@NotBlank @Pattern(regexp = "pdf|png", message = "must be pdf or png") String> formats,
        @Pattern(regexp = "[a-z0-9-]{1,50}", message = "must be a queue name") String queue,
        @Size(max = 2000) @Pattern(regexp = "https?://.+", message = "must be an http(s) URL") @Schema(description = "Absolute http(s) URL that receives this job's terminal event; its host must be (or resolve to) public addresses only, unless the operator allows it (docs/webhooks.md)") String webhookUrl,
        @Valid JobOptions options,
        @Size(max = 100) String sourceType,
        @Size(max = 200) String sourceId,
        @Schema(description = "A test job: rendered with a diagonal TEST watermark on every page, counted in no usage or quota (docs/jobs.md#test-mode); default false") Boolean test,
        @Schema(description = "Your own JSON object (at most 4096 bytes serialized), stored with the job and returned on every read and in webhooks; list jobs by one top-level key with ?meta.KEY=VALUE", example = "{\"orderId\": \"A-1001\", \"customer\": 42}") Map<String, Object> meta,
        @Size(min = 1, max = 100) @Schema(description = "A succeeded job of this project whose PDF is still kept: after the render, every page (the first 50) is rasterized at 72 DPI, compared with the baseline's page and the result recorded as the job's diff, with a difference image per page (docs/documents.md#baseline-diff)", example = "rj_01m84qd2w0cs8y7xk8q6hp4v0b") String baselineJobId) {

    /** Whether this is a test job. */
    public boolean isTest() {
        return Boolean.TRUE.equals(test);
    }
}
