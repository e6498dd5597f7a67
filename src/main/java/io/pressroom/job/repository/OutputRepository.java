package io.pressroom.job.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class OutputRepository implements PanacheRepositoryBase<RenderOutput, String> {

    public Uni<RenderOutput> findPdf(String jobId) {
        return find("jobId = ?1 and format = 'pdf'", jobId).firstResult();
    }
}
