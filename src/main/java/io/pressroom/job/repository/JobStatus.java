package io.pressroom.job.repository;

/** Where a render job is; see SPEC §3. Terminal states never change. */
public enum JobStatus {
    queued,
    rendering,
    retry_scheduled,
    succeeded,
    failed,
    cancelled;

    public boolean terminal() {
        return this == succeeded || this == failed || this == cancelled;
    }

    public boolean cancellable() {
        return !terminal();
    }
}
