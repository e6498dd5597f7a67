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
 * One entry of a job's timeline: appended, never changed ({@link Immutable}: no snapshot, no dirty check at flush).
 */
@Entity
@Immutable
@Table(name = "job_events")
public class JobEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id")
    public String jobId;

    public String type;

    public int attempt;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> details;

    public Instant at;

    public static JobEvent of(String jobId, String type, int attempt, Map<String, Object> details, Instant at) {
        JobEvent event = new JobEvent();
        event.jobId = jobId;
        event.type = type;
        event.attempt = attempt;
        event.details = details;
        event.at = at;
        return event;
    }
}
