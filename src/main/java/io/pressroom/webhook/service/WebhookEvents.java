package io.pressroom.webhook.service;

import java.util.List;

import io.pressroom.job.service.JobStatus;

/** The webhook event types: one per terminal job status. */
public final class WebhookEvents {

    public static final String SUCCEEDED = "job.succeeded";
    public static final String FAILED = "job.failed";
    public static final String CANCELLED = "job.cancelled";
    public static final List<String> ALL = List.of(SUCCEEDED, FAILED, CANCELLED);

    private WebhookEvents() {
    }

    /** The event a job in {@code status} announces, or {@code null} when the status is not terminal. */
    public static String of(JobStatus status) {
        switch (status) {
            case succeeded:
                return SUCCEEDED;
            case failed:
                return FAILED;
            case cancelled:
                return CANCELLED;
            default:
                return null;
        }
    }
}
