package io.pressroom.deploy.service;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.bundle.BundleManifest;
import io.pressroom.bundle.BundleStorage;
import io.pressroom.bundle.TemplateBundle;
import io.pressroom.common.Db;
import io.pressroom.common.Ids;
import io.pressroom.common.Refusal;
import io.pressroom.deploy.repository.Deploy;
import io.pressroom.deploy.repository.DeployRepository;
import io.pressroom.deploy.repository.DeployVersion;
import io.pressroom.deploy.repository.DeployVersionRepository;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.template.TemplateEngine;
import io.pressroom.template.TemplateEngine.TemplateException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class DeployService {

    public static final String LATEST = "latest";

    private final DeployRepository deploys;
    private final DeployVersionRepository versions;
    private final BundleStorage bundles;
    private final TemplateEngine templates;
    private final PayloadContracts contracts;

    public DeployService(DeployRepository deploys, DeployVersionRepository versions, BundleStorage bundles,
            TemplateEngine templates, PayloadContracts contracts) {
        this.contracts = contracts;
        this.deploys = deploys;
        this.versions = versions;
        this.bundles = bundles;
        this.templates = templates;
    }

    /** Creates a deploy; an explicit slug already in use is a 409, a derived one gets a unique suffix. */
    public Uni<Deploy> create(String projectId, String name, String slug) {
        Deploy deploy = new Deploy();
        deploy.id = Ids.next(Ids.DEPLOY);
        deploy.projectId = projectId;
        deploy.name = name;
        deploy.slug = slug != null ? slug : deriveSlug(name, deploy.id);
        deploy.createdAt = Instant.now();
        deploy.updatedAt = deploy.createdAt;
        return Panache.withTransaction(() -> deploys.persist(deploy))
                .onFailure(failure -> Db.isUniqueViolation(failure, "deploys_slug_unique"))
                .recoverWithUni(failure -> {
                    if (slug != null) {
                        return Uni.createFrom().failure(new Refusal.Conflict("slug_taken",
                                "slug '" + slug + "' is already used by another deploy of this project"));
                    }
                    deploy.slug = withSuffix(deploy.slug, deploy.id);
                    return Panache.withTransaction(() -> deploys.persist(deploy));
                });
    }

    @WithSession
    public Uni<Deploy> find(String projectId, String idOrSlug) {
        return deploys.findInProject(projectId, idOrSlug)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("deploy " + idOrSlug));
    }

    @WithSession
    public Uni<List<Deploy>> page(String projectId, String beforeId, int limit) {
        return deploys.page(projectId, beforeId, limit);
    }

    /**
     * Publishes a new version: the template must compile, the bundle is written to storage (immutable, under the
     * new version's id), then the version is recorded and becomes {@code latest} in one transaction. A bundle whose
     * version could not be recorded is removed again. The bundle's data contract ({@code schema.json},
     * {@code sample.json}) must be usable, named in the 400s as {@code fields} says.
     */
    public Uni<DeployVersion> publish(String projectId, String idOrSlug, TemplateBundle bundle,
            PayloadContracts.Fields fields) {
        return publish(projectId, idOrSlug, bundle, fields, false).map(Published::version);
    }

    /** A published version, and the version {@code latest} pointed at when it was recorded (null: none yet). */
    public record Published(DeployVersion version, String latestVersionId) {
    }

    /**
     * Publishes a new version; {@code verify} (the release gate) leaves {@code latest} where it is, and needs a
     * sample payload, a JSON object, to render: 400 naming {@code samplePayload} otherwise.
     */
    public Uni<Published> publish(String projectId, String idOrSlug, TemplateBundle bundle,
            PayloadContracts.Fields fields, boolean verify) {
        PayloadContracts.Contract contract;
        try {
            templates.compile(bundle.html());
            contract = contracts.read(bundle, fields);
        } catch (TemplateException e) {
            return Uni.createFrom().failure(new Refusal.Invalid("template_error", "index.html: " + e.getMessage()));
        } catch (Refusal refusal) {
            return Uni.createFrom().failure(refusal);
        }
        if (verify && (contract.sample() == null || !contract.sample().isObject())) {
            return Uni.createFrom().failure(new Refusal.Invalid("sample_payload_required", "samplePayload: verify=true "
                    + "renders the version with its sample payload: give samplePayload (sample.json in a zip), a JSON "
                    + "object"));
        }
        String versionId = Ids.next(Ids.DEPLOY_VERSION);
        return find(projectId, idOrSlug).chain(deploy -> {
            String prefix = BundleStorage.prefix(projectId, deploy.id, versionId);
            return ObjectStorage.blocking(() -> {
                bundles.store(prefix, bundle);
                return prefix;
            }).chain(stored -> record(projectId, deploy.id, versionId, prefix, bundle, contract, !verify)
                    .onFailure().call(failure -> ObjectStorage.blocking(() -> {
                        bundles.discard(prefix, bundle);
                        return null;
                    }).onFailure().recoverWithNull()));
        });
    }

    private Uni<Published> record(String projectId, String deployId, String versionId, String prefix,
            TemplateBundle bundle, PayloadContracts.Contract contract, boolean moveLatest) {
        return Panache.withTransaction(() -> deploys.lockInProject(projectId, deployId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("deploy " + deployId))
                .chain(deploy -> {
                    DeployVersion version = new DeployVersion();
                    version.id = versionId;
                    version.deployId = deployId;
                    version.projectId = projectId;
                    version.number = deploy.versionCount + 1;
                    version.sha256 = bundle.sha256();
                    version.bytes = bundle.bytes();
                    version.storagePrefix = prefix;
                    version.manifest = new BundleManifest(bundle.manifest());
                    version.payloadSchema = contract.schema();
                    version.samplePayload = contract.sample();
                    version.createdAt = Instant.now();
                    String latest = deploy.latestVersionId;
                    return versions.persist(version).map(saved -> {
                        deploy.versionCount = saved.number;
                        if (moveLatest) {
                            deploy.latestVersionId = saved.id;
                        }
                        deploy.updatedAt = saved.createdAt;
                        return new Published(saved, latest);
                    });
                }));
    }

    /**
     * Moves {@code latest} to one of the deploy's versions (a rollback, or forward again) and records the move in
     * {@code updatedAt}. Jobs created afterwards with {@code latest} resolve to that version; publishing a new
     * version moves {@code latest} to the new one as always. 404 when the version is not one of this deploy's.
     */
    public Uni<Deploy> moveLatest(String projectId, String idOrSlug, String versionId) {
        return Panache.withTransaction(() -> deploys.lockInProject(projectId, idOrSlug)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("deploy " + idOrSlug))
                .chain(deploy -> versions.findInDeploy(deploy.id, versionId)
                        .onItem().ifNull().failWith(() -> new Refusal.NotFound("version " + versionId + " of this deploy"))
                        .map(version -> {
                            deploy.latestVersionId = version.id;
                            deploy.updatedAt = Instant.now();
                            return deploy;
                        })));
    }

    @WithSession
    public Uni<List<DeployVersion>> versions(String projectId, String idOrSlug, Integer beforeNumber, int limit) {
        return deploys.findInProject(projectId, idOrSlug)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("deploy " + idOrSlug))
                .chain(deploy -> versions.page(deploy.id, beforeNumber, limit));
    }

    /** A deploy and one of its versions. */
    public record Resolved(Deploy deploy, DeployVersion version) {
    }

    /** A version by id, or the one {@code latest} points at; 404 when either does not exist. */
    @WithSession
    public Uni<DeployVersion> version(String projectId, String idOrSlug, String versionIdOrLatest) {
        return resolve(projectId, idOrSlug, versionIdOrLatest).map(Resolved::version);
    }

    /** The deploy (id or slug) and its version (id or {@code latest}); 404 when either does not exist. */
    @WithSession
    public Uni<Resolved> resolve(String projectId, String idOrSlug, String versionIdOrLatest) {
        return deploys.findInProject(projectId, idOrSlug)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("deploy " + idOrSlug))
                .chain(deploy -> {
                    String versionId = LATEST.equals(versionIdOrLatest) ? deploy.latestVersionId : versionIdOrLatest;
                    if (versionId == null) {
                        return Uni.createFrom().failure(new Refusal.NotFound("a version of deploy " + idOrSlug));
                    }
                    return versions.findInDeploy(deploy.id, versionId)
                            .onItem().ifNull().failWith(() -> new Refusal.NotFound("version " + versionIdOrLatest))
                            .map(version -> new Resolved(deploy, version));
                });
    }

    /**
     * Checks a job's payload (its JSON text) against the version's schema, if it has one: 400
     * {@code payload_invalid} listing every violation.
     */
    public void checkPayload(DeployVersion version, String payload) {
        if (version.payloadSchema != null) {
            contracts.check(version.id, version.payloadSchema, payload, "payload");
        }
    }

    static String deriveSlug(String name, String id) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 50) {
            slug = slug.substring(0, 50).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? id.substring(id.length() - 10) : slug;
    }

    private static String withSuffix(String slug, String id) {
        return slug + "-" + id.substring(id.length() - 6);
    }
}
