package io.pressroom.job.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A file a batch's assembly produced: the merged PDF ({@code merged}) or the zip of its items' PDFs ({@code zip}). */
@Entity
@Table(name = "batch_outputs")
public class BatchOutput {

    public static final String MERGED = "merged";
    public static final String ZIP = "zip";

    @Id
    public String id;

    @Column(name = "batch_id")
    public String batchId;

    @Column(name = "project_id")
    public String projectId;

    public String kind;

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

    @Column(name = "created_at")
    public Instant createdAt;
}
