package io.pressroom.webhook.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One webhook message to one URL, written in the transaction that ends its job; sent by {@code WebhookSender}.
 * The sender claims due rows with SQL ({@code FOR UPDATE SKIP LOCKED}) and records each try's outcome here.
 */
@Entity
@Table(name = "webhook_deliveries")
public class WebhookDelivery {

    /** {@code msg_…}: the {@code webhook-id} header, the same on every try (receivers deduplicate on it). */
    @Id
    public String id;

    @Column(name = "job_id")
    public String jobId;

    /** The batch whose {@code batch.*} event this is; then {@link #jobId} is null. */
    @Column(name = "batch_id")
    public String batchId;

    @Column(name = "project_id")
    public String projectId;

    /** The project endpoint; {@code null} for the job's own {@code webhookUrl}. */
    @Column(name = "endpoint_id")
    public String endpointId;

    public String url;

    @Column(name = "event_type")
    public String eventType;

    /** The exact JSON that is signed and sent. */
    public String body;

    /** Tries so far, counted when a try is claimed. */
    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_status")
    public Integer lastStatus;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    @Column(name = "abandoned_at")
    public Instant abandonedAt;

    @Column(name = "created_at")
    public Instant createdAt;
}
