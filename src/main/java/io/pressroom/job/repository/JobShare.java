package io.pressroom.job.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A revocable share link of a succeeded job's PDF: its signed token names this row, checked on every download. */
@Entity
@Table(name = "job_shares")
public class JobShare {

    @Id
    public String id;

    @Column(name = "job_id")
    public String jobId;

    @Column(name = "project_id")
    public String projectId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** When the link was revoked; it answers 410 from then on. */
    @Column(name = "revoked_at")
    public Instant revokedAt;
}
