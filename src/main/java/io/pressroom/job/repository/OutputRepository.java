package io.pressroom.job.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class OutputRepository implements PanacheRepositoryBase<RenderOutput, String> {

    public Uni<RenderOutput> findPdf(String jobId) {
        return find("jobId = ?1 and format = 'pdf'", jobId).firstResult();
    }

    /** The job's PDF, to be read and not changed (loaded read-only: no snapshot, no dirty check). */
    public Uni<RenderOutput> readPdf(String jobId) {
        return getSession().chain(session -> session
                .createSelectionQuery("from RenderOutput where jobId = ?1 and format = 'pdf'", RenderOutput.class)
                .setParameter(1, jobId).setMaxResults(1).setReadOnly(true).getSingleResultOrNull());
    }
}
