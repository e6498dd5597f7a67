package io.pressroom.project.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

    /** The active key with this hash, or {@code null}. */
    public Uni<ApiKey> findActiveByHash(String keyHash) {
        return find("keyHash = ?1 and revokedAt is null", keyHash).firstResult();
    }

    public Uni<ApiKey> findInProject(String projectId, String keyId) {
        return find("id = ?1 and projectId = ?2", keyId, projectId).firstResult();
    }
}
