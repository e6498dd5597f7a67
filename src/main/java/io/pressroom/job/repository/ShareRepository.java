package io.pressroom.job.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ShareRepository implements PanacheRepositoryBase<JobShare, String> {

    /** The job's share links, oldest first. */
    public Uni<List<JobShare>> ofJob(String jobId) {
        return find("jobId", Sort.ascending("id"), jobId).list();
    }
}
