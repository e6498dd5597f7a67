package io.pressroom.job.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<RenderJob, String> {

    public Uni<RenderJob> findInProject(String projectId, String jobId) {
        return find("id = ?1 and projectId = ?2", jobId, projectId).firstResult();
    }

    /** Locks the job row: every state change of a job goes through this, one at a time. */
    public Uni<RenderJob> lock(String jobId) {
        return findById(jobId, LockModeType.PESSIMISTIC_WRITE);
    }
}
