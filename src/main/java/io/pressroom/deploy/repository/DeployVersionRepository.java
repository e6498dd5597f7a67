package io.pressroom.deploy.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class DeployVersionRepository implements PanacheRepositoryBase<DeployVersion, String> {

    public Uni<DeployVersion> findInDeploy(String deployId, String versionId) {
        return find("id = ?1 and deployId = ?2", versionId, deployId).firstResult();
    }

    /** A page of a deploy's versions, newest first, numbered below {@code beforeNumber} when given. */
    public Uni<List<DeployVersion>> page(String deployId, Integer beforeNumber, int limit) {
        Sort newestFirst = Sort.descending("number");
        var query = beforeNumber == null
                ? find("deployId = ?1", newestFirst, deployId)
                : find("deployId = ?1 and number < ?2", newestFirst, deployId, beforeNumber);
        return query.page(0, limit).list();
    }
}
