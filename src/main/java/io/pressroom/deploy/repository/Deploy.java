package io.pressroom.deploy.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A named template; its versions are immutable uploads and {@code latestVersionId} points at one of them. */
@Entity
@Table(name = "deploys")
public class Deploy {

    @Id
    public String id;

    @Column(name = "project_id")
    public String projectId;

    public String name;

    public String slug;

    @Column(name = "latest_version_id")
    public String latestVersionId;

    @Column(name = "version_count")
    public int versionCount;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
