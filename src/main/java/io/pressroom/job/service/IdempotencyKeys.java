package io.pressroom.job.service;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.common.Refusal;
import io.pressroom.config.PressroomConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * {@code Idempotency-Key}s, per project, for 24 hours (configurable). The primary key of idempotency_records decides
 * who owns a key: the INSERT either claims it (or takes over an expired one) or waits for the transaction that holds
 * it and then finds its row. Runs inside the caller's transaction.
 */
@ApplicationScoped
public class IdempotencyKeys {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper json;
    private final PressroomConfig.Jobs config;

    public IdempotencyKeys(ObjectMapper json, PressroomConfig config) {
        this.json = json;
        this.config = config.jobs();
    }

    /**
     * Claims the key for this request, or returns the earlier answer to it. Null means "claimed, go on"; an earlier
     * request with other parameters is a 409.
     */
    public Uni<JobService.Created> claim(String projectId, String key, String fingerprint) {
        if (key.isBlank() || key.length() > 255) {
            return Uni.createFrom().failure(new Refusal.Invalid("Idempotency-Key: must be 1 to 255 characters"));
        }
        Instant expiresAt = Instant.now().plus(config.idempotencyTtl());
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO idempotency_records (project_id, idempotency_key, request_hash, expires_at)
                VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (project_id, idempotency_key) DO UPDATE
                    SET request_hash = EXCLUDED.request_hash, expires_at = EXCLUDED.expires_at, job_id = NULL,
                        response_status = NULL, response_body = NULL, created_at = now()
                    WHERE idempotency_records.expires_at < now()
                RETURNING project_id""")
                .setParameter(1, projectId).setParameter(2, key).setParameter(3, fingerprint)
                .setParameter(4, expiresAt)
                .getResultList()
                .chain(claimed -> claimed.isEmpty() ? earlier(projectId, key, fingerprint)
                        : Uni.createFrom().nullItem()));
    }

    private Uni<JobService.Created> earlier(String projectId, String key, String fingerprint) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT request_hash, response_status, CAST(response_body AS text), job_id
                FROM idempotency_records WHERE project_id = ?1 AND idempotency_key = ?2""", Object[].class)
                .setParameter(1, projectId).setParameter(2, key)
                .getSingleResult())
                .map(row -> {
                    if (!fingerprint.equals(row[0])) {
                        throw new Refusal.Conflict("idempotency_key_reused",
                                "Idempotency-Key was already used with different parameters");
                    }
                    return new JobService.Created(((Number) row[1]).intValue(), parse((String) row[2]),
                            (String) row[3]);
                });
    }

    /** Stores the answer given under the key, in the transaction that created the job. */
    public Uni<Void> remember(String projectId, String key, String jobId, int status, Map<String, Object> body) {
        return Panache.getSession()
                .chain(session -> session
                        .createNativeQuery(
                                """
                                        UPDATE idempotency_records SET job_id = ?3, response_status = ?4, response_body = CAST(CAST(?5 AS text) AS jsonb)
                                        WHERE project_id = ?1 AND idempotency_key = ?2""")
                        .setParameter(1, projectId).setParameter(2, key).setParameter(3, jobId).setParameter(4, status)
                        .setParameter(5, write(body))
                        .executeUpdate())
                .replaceWithVoid();
    }

    private Map<String, Object> parse(String body) {
        try {
            return json.readValue(body, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable idempotency record", e);
        }
    }

    private String write(Map<String, Object> body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
