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

    /** Locks the job row: every state change of a job goes through this, one at a time. */
    public Uni<RenderJob> lock(String jobId) {
        return findById(jobId, LockModeType.PESSIMISTIC_WRITE);
    }
}
