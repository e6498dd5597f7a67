package io.pressroom.job.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.pressroom.contract.RenderEvent;

/** The PDF a succeeded job produced, stored in object storage under {@link #storageKey}. */
@Entity
@Table(name = "render_outputs")
public class RenderOutput {

    public static final String AVAILABLE = "available";
    public static final String DELETED = "deleted";
    public static final String EXPIRED = "expired";

    @Id
    public String id;

    @Column(name = "pdf_id")
    public String pdfId;

    @Column(name = "job_id")
    public String jobId;

    @Column(name = "project_id")
    public String projectId;

    public int attempt;

    public String format;

    @Column(name = "storage_key")
    public String storageKey;

    @Column(name = "file_name")
    public String fileName;

    @Column(name = "content_type")
    public String contentType;

    public long bytes;

    @Column(name = "page_count")
    public Integer pageCount;

    public String sha256;

    public String state;

    @Column(name = "preview_pages")
    public int previewPages;

    @Column(name = "preview_bytes")
    public long previewBytes;

    /** A render report stored as an object beside the PDF, by renderers before the report came with the event. */
    @Column(name = "report_key")
    public String reportKey;

    /** The render report (JSON), as the renderer's succeeded event brought it; null for an earlier renderer's. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String report;

    /** The comparison with the job's baseline, or null. */
    @JdbcTypeCode(SqlTypes.JSON)
    public RenderEvent.Diff diff;

    /** Difference images stored beside the PDF, diff-1.png to diff-{n}.png. */
    @Column(name = "diff_images")
    public int diffImages;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;
}
