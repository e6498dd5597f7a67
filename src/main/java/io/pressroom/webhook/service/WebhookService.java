package io.pressroom.webhook.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.Ids;
import io.pressroom.common.Refusal;
import io.pressroom.webhook.repository.WebhookEndpoint;
import io.pressroom.webhook.repository.WebhookEndpointRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** A project's webhook endpoints. */
@ApplicationScoped
public class WebhookService {

    private final WebhookEndpointRepository endpoints;

    public WebhookService(WebhookEndpointRepository endpoints) {
        this.endpoints = endpoints;
    }

    /** Creates an endpoint with a new secret; {@code events} absent means every event. */
    @WithTransaction
    public Uni<WebhookEndpoint> create(String projectId, String url, List<String> events) {
        checkUrl("url", url);
        List<String> subscribed = events == null ? WebhookEvents.ALL : checkEvents(events);
        WebhookEndpoint endpoint = new WebhookEndpoint();
        endpoint.id = Ids.next(Ids.WEBHOOK);
        endpoint.projectId = projectId;
        endpoint.url = url;
        endpoint.events = subscribed.toArray(String[]::new);
        endpoint.secret = WebhookSigning.newSecret();
        endpoint.createdAt = Instant.now();
        return endpoints.persist(endpoint);
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

    /** An absolute http(s) URL with a host: what the sender can POST to. */
    public static void checkUrl(String field, String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new Refusal.Invalid(field + ": must be an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new Refusal.Invalid(field + ": must be an absolute http(s) URL");
        }
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
