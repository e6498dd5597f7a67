package io.pressroom.project.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "api_keys")
public class ApiKey {

    @Id
    public String id;

    @Column(name = "project_id")
    public String projectId;

    public String name;

    /** SHA-256 of the plain key, see {@link io.pressroom.project.service.ApiKeys}. */
    @Column(name = "key_hash")
    public String keyHash;

    @Column(name = "key_hint")
    public String keyHint;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
