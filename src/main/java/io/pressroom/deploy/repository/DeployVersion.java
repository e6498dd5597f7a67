package io.pressroom.deploy.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.pressroom.bundle.BundleManifest;

/** An immutable upload of a deploy: the files of its bundle live in object storage under {@code storagePrefix}. */
@Entity
@Table(name = "deploy_versions")
public class DeployVersion {

    @Id
    public String id;

    @Column(name = "deploy_id")
    public String deployId;

    @Column(name = "project_id")
    public String projectId;

    public int number;

    public String sha256;

    public long bytes;

    @Column(name = "storage_prefix")
    public String storagePrefix;

    @JdbcTypeCode(SqlTypes.JSON)
    public BundleManifest manifest;

    @Column(name = "created_at")
    public Instant createdAt;
}
