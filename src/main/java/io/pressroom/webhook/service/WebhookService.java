package io.pressroom.webhook.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.Ids;
import io.pressroom.common.Refusal;
import io.pressroom.config.PressroomConfig;
import io.pressroom.webhook.repository.WebhookEndpoint;
import io.pressroom.webhook.repository.WebhookEndpointRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** A project's webhook endpoints. */
@ApplicationScoped
public class WebhookService {

    /** An endpoint with its secret in plaintext: for the one answer that shows it. */
    public record WithSecret(WebhookEndpoint endpoint, String secret) {
    }

    private final WebhookEndpointRepository endpoints;
    private final WebhookEgress egress;
    private final SecretCipher cipher;
    private final int maxEndpoints;
    private final Duration overlap;

    public WebhookService(WebhookEndpointRepository endpoints, WebhookEgress egress, SecretCipher cipher,
            PressroomConfig config) {
        this.endpoints = endpoints;
        this.egress = egress;
        this.cipher = cipher;
        this.maxEndpoints = config.webhooks().maxEndpointsPerProject();
        this.overlap = config.webhooks().secretRotationOverlap();
    }

    /**
     * Creates an endpoint with a new secret; {@code events} absent means every event. The URL is checked (and its
     * name resolved) before the transaction; the project's count of endpoints inside it.
     */
    public Uni<WithSecret> create(String projectId, String url, List<String> events) {
        List<String> subscribed = events == null ? WebhookEvents.ALL : checkEvents(events);
        return egress.check("url", url).chain(() -> Panache.withTransaction(() -> endpoints
                .countInProjectLocked(projectId)
                .chain(count -> {
                    if (count >= maxEndpoints) {
                        return Uni.createFrom().failure(new Refusal.Conflict("too_many_webhooks", "the project has "
                                + count + " webhook endpoints, the most allowed; delete one before creating another"));
                    }
                    WebhookEndpoint endpoint = new WebhookEndpoint();
                    endpoint.id = Ids.next(Ids.WEBHOOK);
                    endpoint.projectId = projectId;
                    endpoint.url = url;
                    endpoint.events = subscribed.toArray(String[]::new);
                    String secret = WebhookSigning.newSecret();
                    endpoint.secret = cipher.seal(secret);
                    endpoint.createdAt = Instant.now();
                    return endpoints.persist(endpoint).map(created -> new WithSecret(created, secret));
                })));
    }

    /**
     * Gives the endpoint a new secret; the current one becomes the previous, which still signs (next to the new one)
     * for {@code pressroom.webhooks.secret-rotation-overlap}. A second rotation within that window drops the oldest.
     * The row is locked, so rotations at once follow each other and each answer's secret is one that signs.
     */
    @WithTransaction
    public Uni<WithSecret> rotateSecret(String projectId, String id) {
        return endpoints.findInProjectLocked(projectId, id)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("webhook " + id))
                .map(endpoint -> {
                    String secret = WebhookSigning.newSecret();
                    endpoint.previousSecret = endpoint.secret;
                    endpoint.previousSecretUntil = Instant.now().plus(overlap);
                    endpoint.secret = cipher.seal(secret);
                    return new WithSecret(endpoint, secret);
                });
    }

    @WithSession
    public Uni<List<WebhookEndpoint>> list(String projectId) {
        return endpoints.inProject(projectId);
    }

    @WithSession
    public Uni<WebhookEndpoint> find(String projectId, String id) {
        return endpoints.findInProject(projectId, id)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("webhook " + id));
    }

    /** Deletes the endpoint and the deliveries to it that are still pending. */
    @WithTransaction
    public Uni<Void> delete(String projectId, String id) {
        return endpoints.findInProject(projectId, id)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("webhook " + id))
                .call(endpoints::delete)
                .replaceWithVoid();
    }

    private static List<String> checkEvents(List<String> events) {
        for (int i = 0; i < events.size(); i++) {
            if (!WebhookEvents.ALL.contains(events.get(i))) {
                throw new Refusal.Invalid("events[" + i + "]: must be one of " + String.join(", ", WebhookEvents.ALL));
            }
        }
        if (events.stream().distinct().count() != events.size()) {
            throw new Refusal.Invalid("events: lists an event twice");
        }
        return events;
    }
}
