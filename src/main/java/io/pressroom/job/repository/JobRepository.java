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

    /** A page of the project's jobs, newest first. */
    public Uni<List<RenderJob>> page(JobFilter.Query query, int limit) {
        return find(query.condition(), Sort.descending("id"), query.parameters()).page(0, limit).list();
    }

    /** The project's jobs that have not ended (queued, rendering or waiting for a retry). */
    public Uni<Long> countUnfinished(String projectId) {
        return count("projectId = ?1 and status in ?2", projectId,
                List.of(JobStatus.queued, JobStatus.rendering, JobStatus.retry_scheduled));
    }

    /** Locks the job row: every state change of a job goes through this, one at a time. */
    public Uni<RenderJob> lock(String jobId) {
        return findById(jobId, LockModeType.PESSIMISTIC_WRITE);
    }
}
