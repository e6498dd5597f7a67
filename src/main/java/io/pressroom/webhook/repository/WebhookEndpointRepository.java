package io.pressroom.webhook.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class WebhookEndpointRepository implements PanacheRepositoryBase<WebhookEndpoint, String> {

    /** The project's endpoints, oldest first. */
    public Uni<List<WebhookEndpoint>> inProject(String projectId) {
        return find("projectId", Sort.ascending("id"), projectId).list();
    }

    public Uni<WebhookEndpoint> findInProject(String projectId, String id) {
        return find("id = ?1 and projectId = ?2", id, projectId).firstResult();
    }
}
