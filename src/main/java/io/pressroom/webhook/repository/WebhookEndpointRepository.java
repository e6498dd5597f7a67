package io.pressroom.webhook.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class WebhookEndpointRepository implements PanacheRepositoryBase<WebhookEndpoint, String> {

    /** The project's endpoints, oldest first. */
    public Uni<List<WebhookEndpoint>> inProject(String projectId) {
        return find("projectId", Sort.ascending("id"), projectId).list();
    }

    /**
     * How many endpoints the project has, with its row locked until the transaction ends: creates in one project
     * count one after the other, so concurrent ones cannot pass its limit together.
     */
    public Uni<Long> countInProjectLocked(String projectId) {
        return getSession().chain(session -> session
                .createNativeQuery("SELECT id FROM projects WHERE id = :id FOR UPDATE")
                .setParameter("id", projectId).getResultList())
                .chain(() -> count("projectId", projectId));
    }

    public Uni<WebhookEndpoint> findInProject(String projectId, String id) {
        return find("id = ?1 and projectId = ?2", id, projectId).firstResult();
    }

    /** {@link #findInProject}, with the row locked until the transaction ends. */
    public Uni<WebhookEndpoint> findInProjectLocked(String projectId, String id) {
        return find("id = ?1 and projectId = ?2", id, projectId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }
}
