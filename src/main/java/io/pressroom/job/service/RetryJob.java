package io.pressroom.job.service;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/render-jobs/{id}/retry}. */
public record RetryJob(
        @Schema(description = "The payload to render with. Required when the job's own payload was purged (it is, once a job ends); replaces it otherwise") Map<String, Object> payload) {
}
