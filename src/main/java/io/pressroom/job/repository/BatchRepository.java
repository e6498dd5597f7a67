package io.pressroom.job.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class BatchRepository implements PanacheRepositoryBase<RenderBatch, String> {

    public Uni<RenderBatch> findInProject(String projectId, String batchId) {
        return find("id = ?1 and projectId = ?2", batchId, projectId).firstResult();
    }

    /** Locks the batch row: its counts and status change one writer at a time. */
    public Uni<RenderBatch> lock(String batchId) {
        return findById(batchId, LockModeType.PESSIMISTIC_WRITE);
    }
}
