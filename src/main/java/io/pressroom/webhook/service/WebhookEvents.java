package io.pressroom.webhook.service;

import java.util.List;

/**
 * The webhook event types: one per terminal job status, and two for a batch: {@code batch.succeeded} (every item
 * succeeded and the merged PDF and zip asked for are ready) and {@code batch.failed} (it ended otherwise: an item
 * failed or was cancelled, or its assembly failed; {@code data.batch.status} says {@code failed} or
 * {@code cancelled}).
 */
public final class WebhookEvents {

    public static final String SUCCEEDED = "job.succeeded";
    public static final String FAILED = "job.failed";
    public static final String CANCELLED = "job.cancelled";
    public static final String BATCH_SUCCEEDED = "batch.succeeded";
    public static final String BATCH_FAILED = "batch.failed";
    public static final List<String> ALL = List.of(SUCCEEDED, FAILED, CANCELLED, BATCH_SUCCEEDED, BATCH_FAILED);

    private WebhookEvents() {
    }

    /** The event a batch ending in {@code status} announces, or {@code null} when the status is not terminal. */
    public static String ofBatch(String status) {
        return switch (status) {
            case "succeeded" -> BATCH_SUCCEEDED;
            case "failed", "cancelled" -> BATCH_FAILED;
            default -> null;
        };
    }

    /** The event a job ending in {@code status} announces, or {@code null} when the status is not terminal. */
    public static String of(String status) {
        return switch (status) {
            case "succeeded" -> SUCCEEDED;
            case "failed" -> FAILED;
            case "cancelled" -> CANCELLED;
            default -> null;
        };
    }
}
