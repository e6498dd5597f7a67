package io.pressroom.job.repository;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A Kafka message written in the same transaction as the state change it announces; see OutboxRelay. Only ever
 * inserted through Hibernate ({@link Immutable}: no snapshot, no dirty check); the relay marks it sent in SQL.
 */
@Entity
@Immutable
@Table(name = "outbox")
public class OutboxMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String topic;

    @Column(name = "message_key")
    public String messageKey;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> payload;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> headers;

    @Column(name = "created_at")
    public Instant createdAt;

    /** Not published before this moment: how retries are delayed. */
    @Column(name = "available_at")
    public Instant availableAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** Set on a job's render command (not a template preview's): fair dispatch lets it out in its project's turn. */
    @Column(name = "project_id")
    public String projectId;
}
