package io.pressroom.job.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A batch: one job per item, all of one deploy version, with the options they share. Its status is written by
 * {@code BatchLedger} only (an item's end, the end of its assembly, a cancel).
 */
@Entity
@Table(name = "render_batches")
public class RenderBatch {

    public static final String RUNNING = "running";
    public static final String ASSEMBLING = "assembling";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    @Id
    public String id;

    @Column(name = "project_id")
    public String projectId;

    @Column(name = "deploy_id")
    public String deployId;

    @Column(name = "deploy_version_id")
    public String deployVersionId;

    public String status;

    @Column(name = "item_count")
    public int itemCount;

    @Column(name = "succeeded_count")
    public int succeededCount;

    @Column(name = "failed_count")
    public int failedCount;

    @Column(name = "cancelled_count")
    public int cancelledCount;

    public boolean merge;

    public boolean zip;

    public boolean test;

    @Column(name = "webhook_url")
    public String webhookUrl;

    @Column(name = "cancel_requested")
    public boolean cancelRequested;

    @Column(name = "assembly_attempts")
    public int assemblyAttempts;

    @Column(name = "assembly_lease_until")
    public Instant assemblyLeaseUntil;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Whether the batch has ended: it changes no more. */
    public boolean terminal() {
        return SUCCEEDED.equals(status) || FAILED.equals(status) || CANCELLED.equals(status);
    }

    /** Items that have ended, whatever their end. */
    public int ended() {
        return succeededCount + failedCount + cancelledCount;
    }
}
