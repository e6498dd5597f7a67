package io.pressroom.webhook.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.common.Ids;
import io.pressroom.webhook.repository.WebhookDelivery;
import io.pressroom.webhook.repository.WebhookDeliveryRepository;
import io.pressroom.webhook.repository.WebhookEndpointRepository;
import io.smallrye.mutiny.Uni;

/**
 * Writes a terminal job's webhook deliveries inside the transaction that ends the job: one for the job's own
 * {@code webhookUrl}, one per project endpoint subscribed to the event. Nothing is sent here; the body is fixed
 * now, so every try sends (and signs) the same bytes.
 */
@ApplicationScoped
public class WebhookOutbox {

    /** The Standard Webhooks envelope; {@code data} is what {@code GET /v1/render-jobs/{id}} answers. */
    public record Envelope(String type, String timestamp, Object data) {
    }

    private final WebhookEndpointRepository endpoints;
    private final WebhookDeliveryRepository deliveries;
    private final ObjectMapper json;

    public WebhookOutbox(WebhookEndpointRepository endpoints, WebhookDeliveryRepository deliveries, ObjectMapper json) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.json = json;
    }

    public Uni<Void> enqueue(FinishedJob job) {
        String type = WebhookEvents.of(job.status());
        if (type == null) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        String body = serialize(job.jobId(), new Envelope(type, now.truncatedTo(ChronoUnit.MILLIS).toString(),
                job.detail()));
        return endpoints.inProject(job.projectId()).chain(subscribed -> {
            List<WebhookDelivery> rows = new ArrayList<>();
            if (job.webhookUrl() != null) {
                rows.add(delivery(job, null, job.webhookUrl(), type, body, now));
            }
            subscribed.stream().filter(endpoint -> Arrays.asList(endpoint.events).contains(type))
                    .forEach(endpoint -> rows.add(delivery(job, endpoint.id, endpoint.url, type, body, now)));
            return rows.isEmpty() ? Uni.createFrom().voidItem() : deliveries.persist(rows);
        });
    }

    private static WebhookDelivery delivery(FinishedJob job, String endpointId, String url, String type, String body,
            Instant now) {
        WebhookDelivery delivery = new WebhookDelivery();
        delivery.id = Ids.next(Ids.WEBHOOK_MESSAGE);
        delivery.jobId = job.jobId();
        delivery.projectId = job.projectId();
        delivery.endpointId = endpointId;
        delivery.url = url;
        delivery.eventType = type;
        delivery.body = body;
        delivery.nextAttemptAt = now;
        delivery.createdAt = now;
        return delivery;
    }

    private String serialize(String jobId, Envelope envelope) {
        try {
            return json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the webhook of " + jobId, e);
        }
    }
}
