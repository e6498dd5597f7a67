package io.pressroom.webhook.service;

import java.util.List;

/** The webhook event types: one per terminal job status. */
public final class WebhookEvents {

    public static final String SUCCEEDED = "job.succeeded";
    public static final String FAILED = "job.failed";
    public static final String CANCELLED = "job.cancelled";
    public static final List<String> ALL = List.of(SUCCEEDED, FAILED, CANCELLED);

    private WebhookEvents() {
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
