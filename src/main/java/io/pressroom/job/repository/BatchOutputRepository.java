package io.pressroom.job.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class BatchOutputRepository implements PanacheRepositoryBase<BatchOutput, String> {

    /** The batch's outputs (merged, zip). */
    public Uni<List<BatchOutput>> ofBatch(String batchId) {
        return list("batchId", Sort.ascending("kind"), batchId);
    }

    public Uni<BatchOutput> find(String batchId, String kind) {
        return find("batchId = ?1 and kind = ?2", batchId, kind).firstResult();
    }
}
