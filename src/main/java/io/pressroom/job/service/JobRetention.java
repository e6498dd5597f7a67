package io.pressroom.job.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.pressroom.contract.StorageKeys;
import io.pressroom.storage.ObjectStorage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the job service lets go of, for the retention sweeps: sent outbox messages, expired Idempotency-Key records,
 * old timelines, and which stored objects its rows still refer to. The job service owns timelines, so their deletes
 * live here (ArchitectureTest). Each delete takes at most {@code limit} rows it can lock at once
 * ({@code FOR UPDATE SKIP LOCKED}), in its own short statement, so several API pods sweep side by side without
 * waiting on each other or on the writers, and completes with how many rows it deleted.
 */
@ApplicationScoped
public class JobRetention {

    private final Instance<Pool> database;
    private final ObjectStorage storage;

    public JobRetention(Instance<Pool> database, ObjectStorage storage) {
        this.database = database;
        this.storage = storage;
    }

    /**
     * Batch outputs (merged PDF, zip) made more than {@code age} ago: marked deleted first, so that no link serves a
     * file about to go, then their objects removed. An object whose removal fails stays behind, unreferenced (logged
     * by the storage client); the row already says it is gone.
     */
    public Uni<Integer> expireBatchOutputs(Duration age, int limit) {
        return database.get().preparedQuery("""
                UPDATE batch_outputs SET state = 'deleted' WHERE id IN (
                    SELECT id FROM batch_outputs WHERE state = 'available'
                        AND created_at < now() - make_interval(secs => $1)
                    LIMIT $2 FOR UPDATE SKIP LOCKED)
                RETURNING storage_key""").execute(Tuple.of(age.toMillis() / 1000.0, limit))
                .chain(rows -> {
                    List<String> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(row.getString("storage_key")));
                    return storage.deleteQuietly(keys).replaceWith(keys.size());
                });
    }

    /**
     * Outbox messages sent, or set aside as undeliverable, more than {@code age} ago: nothing reads them again, and each holds
     * a copy of its render
     * command, the payload included, which would otherwise outlive the payload's purge.
     */
    public Uni<Integer> deleteSentOutbox(Duration age, int limit) {
        return delete("""
                DELETE FROM outbox WHERE id IN (
                    SELECT id FROM outbox WHERE sent_at < now() - make_interval(secs => $1)
                        OR dead_at < now() - make_interval(secs => $1)
                    LIMIT $2 FOR UPDATE SKIP LOCKED)""", age, limit);
    }

    /**
     * Idempotency-Key records past their time ({@code pressroom.jobs.idempotency-ttl}): a request that brings the key
     * again would take the record over as a new one anyway ({@link IdempotencyKeys#claim}).
     */
    public Uni<Integer> deleteExpiredIdempotencyRecords(int limit) {
        return database.get().preparedQuery("""
                DELETE FROM idempotency_records WHERE (project_id, idempotency_key) IN (
                    SELECT project_id, idempotency_key FROM idempotency_records WHERE expires_at < now()
                    LIMIT $1 FOR UPDATE SKIP LOCKED)""").execute(Tuple.of(limit)).map(rows -> rows.rowCount());
    }

    /**
     * Timeline events older than {@code age} of jobs that ended more than {@code age} ago. The job row, its output and
     * its state stay: a job record is readable indefinitely (SPEC §2), only its history goes. A note added long
     * after the end (an output deleted months later) goes once it is as old itself.
     */
    public Uni<Integer> deleteOldTimelines(Duration age, int limit) {
        return delete("""
                DELETE FROM job_events WHERE id IN (
                    SELECT e.id FROM job_events e JOIN render_jobs j ON j.id = e.job_id
                    WHERE e.at < now() - make_interval(secs => $1)
                        AND j.status IN ('succeeded', 'failed', 'cancelled')
                        AND j.finished_at < now() - make_interval(secs => $1)
                    LIMIT $2 FOR UPDATE OF e SKIP LOCKED)""", age, limit);
    }

    /**
     * One hidden test copy, read: its row, and by the foreign keys' {@code ON DELETE CASCADE} its timeline and
     * outputs. Through the SQL client, as the sweeps: a delete statement in a Hibernate session leaves clean-up
     * actions behind that it warns about.
     */
    Uni<Integer> deleteCopy(String projectId, String copyId) {
        return database.get().preparedQuery("DELETE FROM render_jobs WHERE id = $1 AND project_id = $2 AND estimate")
                .execute(Tuple.of(copyId, projectId)).map(rows -> rows.rowCount());
    }

    /**
     * Hidden test copies (of estimates and template previews) requested more than {@code age} ago, with their timeline
     * and outputs (the foreign keys cascade). Each copy is deleted as soon as its answer is read
     * ({@link JobService#discardCopy}); one still here was abandoned by an API pod that went away. Its objects are
     * then referred to by nothing, and the orphan sweep deletes them.
     */
    public Uni<Integer> deleteAbandonedCopies(Duration age, int limit) {
        return delete("""
                DELETE FROM render_jobs WHERE id IN (
                    SELECT id FROM render_jobs WHERE estimate AND requested_at < now() - make_interval(secs => $1)
                    LIMIT $2 FOR UPDATE SKIP LOCKED)""", age, limit);
    }

    /**
     * Which of {@code keys} (objects under {@code outputs/} and {@code payloads/}) a row still refers to: the PDF,
     * previews and report of an available output; the payload of a live job; and anything stored for a live job,
     * whose render may have finished without its event being applied yet. Outputs that were deleted or expired
     * refer to nothing any more. One statement, so one snapshot: a job that ends between two reads can never look
     * both ended and without its output.
     */
    public Uni<Set<String>> referenced(Collection<String> keys) {
        Set<String> jobIds = new HashSet<>();
        keys.stream().map(StorageKeys::jobOf).filter(Objects::nonNull).forEach(jobIds::add);
        if (jobIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return database.get().preparedQuery("""
                SELECT j.id, j.status IN ('queued', 'rendering', 'retry_scheduled') AS live, j.payload_ref, j.html_ref,
                    o.storage_key, o.report_key, o.preview_pages, o.diff_images
                FROM render_jobs j LEFT JOIN render_outputs o ON o.job_id = j.id AND o.state = 'available'
                WHERE j.id = ANY($1)""").execute(Tuple.of(jobIds.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> liveJobs = new HashSet<>();
                    Set<String> kept = new HashSet<>();
                    for (Row row : rows) {
                        if (row.getBoolean("live")) {
                            liveJobs.add(row.getString("id"));
                            add(kept, row.getString("payload_ref"));
                            add(kept, row.getString("html_ref"));
                        }
                        String pdf = row.getString("storage_key");
                        if (pdf != null) {
                            kept.add(pdf);
                            add(kept, row.getString("report_key"));
                            for (int page = 1; page <= row.getInteger("preview_pages"); page++) {
                                kept.add(StorageKeys.previewPage(pdf, page));
                            }
                            for (int page = 1; page <= row.getInteger("diff_images"); page++) {
                                kept.add(StorageKeys.diffPage(pdf, page));
                            }
                        }
                    }
                    return Set.copyOf(keys.stream()
                            .filter(key -> kept.contains(key)
                                    || key.startsWith(StorageKeys.OUTPUTS) && liveJobs.contains(StorageKeys.jobOf(key)))
                            .toList());
                });
    }

    private Uni<Integer> delete(String sql, Duration age, int limit) {
        return database.get().preparedQuery(sql).execute(Tuple.of(age.toMillis() / 1000.0, limit))
                .map(rows -> rows.rowCount());
    }

    private static void add(Set<String> keys, String key) {
        if (key != null) {
            keys.add(key);
        }
    }
}
