package io.pressroom.job.repository;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A render job's row. Updates carry only the columns that changed ({@link DynamicUpdate}): a transition rewrites a
 * handful of small columns, not the inline template and payload (up to 64 KiB each) every time.
 */
@Entity
@Table(name = "render_jobs")
@DynamicUpdate
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

    /** Times the current attempt's command was sent again after it was lost (consumed without a render). */
    public int redispatches;

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

    /** Inline template; null when stored in object storage ({@link #htmlRef}) because it is large. */
    @Column(name = "inline_html")
    public String inlineHtml;

    @Column(name = "html_ref")
    public String htmlRef;

    /** The client's own JSON object (at most 4 KB), returned on every read and in webhooks; null when not given. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> meta;

    /** The failed or cancelled job this one retries ({@code POST /v1/render-jobs/{id}/retry}), or null. */
    @Column(name = "retry_of")
    public String retryOf;

    /** The succeeded job this one's PDF is compared with ({@code baselineJobId}), or null. */
    @Column(name = "baseline_job_id")
    public String baselineJobId;

    /** The baseline job's PDF, resolved when this job was created. */
    @Column(name = "baseline_key")
    public String baselineKey;

    /** The template version rendered with the same payload to compare with (the release gate), or null. */
    @Column(name = "baseline_version_id")
    public String baselineVersionId;

    /** The batch this job is an item of ({@code POST /v1/render-batches}), or null. */
    @Column(name = "batch_id")
    public String batchId;

    /** The job's place in its batch, from 0; null outside a batch. */
    @Column(name = "batch_index")
    public Integer batchIndex;

    @Column(name = "webhook_url")
    public String webhookUrl;

    @Column(name = "file_name")
    public String fileName;

    @Column(name = "source_type")
    public String sourceType;

    @Column(name = "source_id")
    public String sourceId;

    public boolean acknowledged;

    /** A test job: rendered with a TEST watermark, counted in no usage or quota figure. */
    public boolean test;

    /** The hidden test copy of an estimate: in no list, usage figure or webhook; its id is never shown. */
    public boolean estimate;

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

    /*
     * The changes of state, as the job service's state machine decides them; nothing else writes these fields.
     */

    /** A renderer started {@code attempt}; it must report before {@code deadline}. */
    public void startRendering(int attempt, Instant at, Instant deadline) {
        status = JobStatus.rendering;
        this.attempt = attempt;
        if (startedAt == null) {
            startedAt = at;
        }
        deadlineAt = deadline;
        updatedAt = Instant.now();
    }

    /** {@code attempt} failed; {@code nextAttempt} is dispatched at {@code nextAt}. */
    public void scheduleRetry(int attempt, int nextAttempt, String code, String message, Instant nextAt,
            Instant deadline) {
        status = JobStatus.retry_scheduled;
        this.attempt = attempt;
        dispatchedAttempt = nextAttempt;
        redispatches = 0;
        errorCode = code;
        errorMessage = message;
        nextAttemptAt = nextAt;
        deadlineAt = deadline;
        updatedAt = Instant.now();
    }

    /** A scheduled retry's time came: the job waits for a renderer again. */
    public void requeue(Instant deadline) {
        status = JobStatus.queued;
        deadlineAt = deadline;
        updatedAt = Instant.now();
    }

    /** The current attempt's command was sent again; a renderer must start it before {@code deadline}. */
    public void redispatch(Instant deadline) {
        redispatches++;
        deadlineAt = deadline;
        updatedAt = Instant.now();
    }

    /** The job still waits its turn behind other commands: look again at {@code deadline}. */
    public void keepWaiting(Instant deadline) {
        deadlineAt = deadline;
        updatedAt = Instant.now();
    }

    public void succeed(int attempt, Instant at) {
        this.attempt = attempt;
        errorCode = null;
        errorMessage = null;
        finish(JobStatus.succeeded, at);
    }

    public void fail(int attempt, String code, String message, Instant at) {
        this.attempt = attempt;
        errorCode = code;
        errorMessage = message;
        finish(JobStatus.failed, at);
    }

    public void cancel(Instant at) {
        finish(JobStatus.cancelled, at);
    }

    private void finish(JobStatus terminal, Instant at) {
        status = terminal;
        finishedAt = at;
        deadlineAt = null;
        nextAttemptAt = null;
        updatedAt = Instant.now();
    }
}
