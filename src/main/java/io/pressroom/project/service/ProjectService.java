package io.pressroom.project.service;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.Db;
import io.pressroom.common.Ids;
import io.pressroom.common.Refusal;
import io.pressroom.project.repository.ApiKey;
import io.pressroom.project.repository.ApiKeyRepository;
import io.pressroom.project.repository.Project;
import io.pressroom.project.repository.ProjectRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ProjectService {

    /** A key as created: the only moment its plain value exists. */
    public record IssuedKey(ApiKey key, String plainKey) {
    }

    private final ProjectRepository projects;
    private final ApiKeyRepository keys;
    private final ActiveKeys activeKeys;

    public ProjectService(ProjectRepository projects, ApiKeyRepository keys, ActiveKeys activeKeys) {
        this.projects = projects;
        this.keys = keys;
        this.activeKeys = activeKeys;
    }

    @WithTransaction
    public Uni<Project> create(String name) {
        Project project = new Project();
        project.id = Ids.next(Ids.PROJECT);
        project.name = name;
        project.createdAt = Instant.now();
        return projects.persist(project);
    }

    /** Sets the project's monthly page quota when {@code quota} is given: a value, or empty to remove it. */
    @WithTransaction
    public Uni<Project> update(String projectId, Optional<Integer> quota) {
        return projects.findById(projectId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("project " + projectId))
                .invoke(project -> {
                    if (quota != null) {
                        project.monthlyPageQuota = quota.orElse(null);
                    }
                });
    }

    @WithTransaction
    public Uni<IssuedKey> issueKey(String projectId, String name) {
        return projects.findById(projectId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("project " + projectId))
                .chain(project -> {
                    String plain = ApiKeys.generate();
                    return keys.persist(newKey(projectId, name, plain)).map(key -> new IssuedKey(key, plain));
                });
    }

    /** Revokes the key; once committed this pod lets no request in with it (other pods hear it through V22's NOTIFY). */
    public Uni<Void> revokeKey(String projectId, String keyId) {
        return Panache.withTransaction(() -> keys.findInProject(projectId, keyId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("key " + keyId))
                .invoke(key -> {
                    if (key.revokedAt == null) {
                        key.revokedAt = Instant.now();
                    }
                }))
                .invoke(key -> activeKeys.forget(key.keyHash))
                .replaceWithVoid();
    }

    /**
     * Makes sure a project owns the given plain key, creating both when the key is unknown. Used at start-up by
     * the local run so that it can print a working key; idempotent across restarts, and across API pods starting at
     * once: the key's unique hash decides, and the pod that loses rolls its project back.
     */
    public Uni<Boolean> ensureBootstrapKey(String projectName, String plainKey) {
        if (!ApiKeys.looksValid(plainKey)) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "pressroom.bootstrap.project-key must look like prk_ followed by 43 base64url characters"));
        }
        return Panache.withTransaction(() -> keys.find("keyHash", ApiKeys.hash(plainKey)).firstResult()
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(false);
                    }
                    Project project = new Project();
                    project.id = Ids.next(Ids.PROJECT);
                    project.name = projectName;
                    project.createdAt = Instant.now();
                    return projects.persist(project)
                            .chain(saved -> keys.persist(newKey(saved.id, "bootstrap", plainKey)))
                            .replaceWith(true);
                }))
                .onFailure(failure -> Db.isUniqueViolation(failure, "api_keys_key_hash_key"))
                .recoverWithItem(false);
    }

    private static ApiKey newKey(String projectId, String name, String plainKey) {
        ApiKey key = new ApiKey();
        key.id = Ids.next(Ids.API_KEY);
        key.projectId = projectId;
        key.name = name;
        key.keyHash = ApiKeys.hash(plainKey);
        key.keyHint = ApiKeys.hint(plainKey);
        key.createdAt = Instant.now();
        return key;
    }
}
