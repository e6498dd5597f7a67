package io.pressroom.job.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<RenderJob, String> {

    public Uni<RenderJob> findInProject(String projectId, String jobId) {
        return find("id = ?1 and projectId = ?2", jobId, projectId).firstResult();
    }

    /** A job of the project and its PDF, null while it has none. */
    public record WithPdf(RenderJob job, RenderOutput pdf) {
    }

    /**
     * The job and its PDF in one query (a job has at most one), null when the project has no such job; to be read and
     * not changed: loaded read-only, so that Hibernate keeps no snapshot of them (a deep copy of the job's options,
     * payload and meta) and checks none at the end of the session.
     */
    public Uni<WithPdf> readWithPdf(String projectId, String jobId) {
        // Panache's queries take no hints ("Hints not supported yet"): the session's own query does
        return getSession().chain(session -> session.createSelectionQuery("""
                select j, o from RenderJob j left join RenderOutput o on o.jobId = j.id and o.format = 'pdf'
                where j.id = ?1 and j.projectId = ?2""", Object[].class)
                .setParameter(1, jobId).setParameter(2, projectId).setReadOnly(true).getSingleResultOrNull()
                .map(row -> row == null ? null : new WithPdf((RenderJob) row[0], (RenderOutput) row[1])));
    }

    /** Whether the project has this job: a count of its key, nothing loaded. */
    public Uni<Boolean> existsInProject(String projectId, String jobId) {
        return count("id = ?1 and projectId = ?2", jobId, projectId).map(found -> found > 0);
    }

    /** A page of the project's jobs, newest first. */
    public Uni<List<RenderJob>> page(JobFilter.Query query, int limit) {
        return find(query.condition(), Sort.descending("id"), query.parameters()).page(0, limit).list();
    }

    /** The project's jobs that have not ended (queued, rendering or waiting for a retry). */
    public Uni<Long> countUnfinished(String projectId) {
        return count("projectId = ?1 and status in ?2", projectId,
                List.of(JobStatus.queued, JobStatus.rendering, JobStatus.retry_scheduled));
    }

    /** The batch's jobs after place {@code afterIndex}, in item order. */
    public Uni<List<RenderJob>> batchItems(String batchId, int afterIndex, int limit) {
        return find("batchId = ?1 and batchIndex > ?2", Sort.ascending("batchIndex"), batchId, afterIndex)
                .page(0, limit).list();
    }

    /** How many of the batch's jobs are in each status. */
    public Uni<List<Object[]>> batchCounts(String batchId) {
        return getSession().chain(session -> session.createQuery(
                "select status, count(*) from RenderJob where batchId = ?1 group by status", Object[].class)
                .setParameter(1, batchId).getResultList());
    }

    /** Ids of the batch's jobs that have not ended. */
    public Uni<List<String>> unfinishedInBatch(String batchId) {
        return getSession().chain(session -> session.createQuery(
                "select id from RenderJob where batchId = ?1 and status in ?2 order by batchIndex", String.class)
                .setParameter(1, batchId)
                .setParameter(2, List.of(JobStatus.queued, JobStatus.rendering, JobStatus.retry_scheduled))
                .getResultList());
    }

    /** Locks the job row: every state change of a job goes through this, one at a time. */
    public Uni<RenderJob> lock(String jobId) {
        return findById(jobId, LockModeType.PESSIMISTIC_WRITE);
    }
}
