package io.pressroom.deploy.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.pressroom.common.Ids;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class DeployRepository implements PanacheRepositoryBase<Deploy, String> {

    /** A deploy of the project by id ({@code dpl_…}) or slug, or {@code null}. */
    public Uni<Deploy> findInProject(String projectId, String idOrSlug) {
        String field = Ids.hasPrefix(idOrSlug, Ids.DEPLOY) ? "id" : "slug";
        return find(field + " = ?1 and projectId = ?2", idOrSlug, projectId).firstResult();
    }

    /**
     * Locks the deploy row (by id or slug) so that version numbers are handed out, and {@code latest} moved, one at a
     * time.
     */
    public Uni<Deploy> lockInProject(String projectId, String idOrSlug) {
        String field = Ids.hasPrefix(idOrSlug, Ids.DEPLOY) ? "id" : "slug";
        return find(field + " = ?1 and projectId = ?2", idOrSlug, projectId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** A page of the project's deploys, newest first, strictly older than {@code beforeId} when given. */
    public Uni<List<Deploy>> page(String projectId, String beforeId, int limit) {
        Sort newestFirst = Sort.descending("id");
        var query = beforeId == null
                ? find("projectId = ?1", newestFirst, projectId)
                : find("projectId = ?1 and id < ?2", newestFirst, projectId, beforeId);
        return query.page(0, limit).list();
    }
}
