package io.pressroom.deploy.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

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

    /** The JSON Schema (2020-12) every payload of a job for this version must match; null: any payload. */
    @Column(name = "payload_schema")
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode payloadSchema;

    /** A payload that matches {@link #payloadSchema}, for previews and for the people writing the template. */
    @Column(name = "sample_payload")
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode samplePayload;

    @Column(name = "created_at")
    public Instant createdAt;
}
