package io.pressroom.job.repository;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.pressroom.job.service.JobStateMachine;
import io.pressroom.job.service.JobStatus;

@Entity
@Table(name = "render_jobs")
public class RenderJob {

    @Id
    public String id;

    @Column(name = "project_id")
    public String projectId;

    @Column(name = "deploy_id")
    public String deployId;

    @Column(name = "deploy_version_id")
    public String deployVersionId;

    @Column(name = "business_key")
    public String businessKey;

    public String queue;

    @Enumerated(EnumType.STRING)
    public JobStatus status;

    public int attempt;

    @Column(name = "dispatched_attempt")
    public int dispatchedAttempt;

    @Column(name = "max_attempts")
    public int maxAttempts;

    @Column(name = "output_mode")
    public String outputMode;

    public String[] formats;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> options;

    /** Inline payload; null once purged or when stored as a claim check ({@link #payloadRef}). */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> payload;

    @Column(name = "payload_ref")
    public String payloadRef;

    @Column(name = "inline_html")
    public String inlineHtml;

    @Column(name = "webhook_url")
    public String webhookUrl;

    @Column(name = "file_name")
    public String fileName;

    @Column(name = "source_type")
    public String sourceType;

    @Column(name = "source_id")
    public String sourceId;

    public boolean acknowledged;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "deadline_at")
    public Instant deadlineAt;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public JobStateMachine.State state() {
        return new JobStateMachine.State(status, attempt, dispatchedAttempt, maxAttempts);
    }
}
