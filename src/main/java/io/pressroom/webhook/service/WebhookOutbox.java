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
 * Writes a terminal job's (or batch's) webhook deliveries inside the transaction that ends it: one for the job's own
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
        return enqueue(WebhookEvents.of(job.status()), job.jobId(), null, job.projectId(), job.webhookUrl(),
                job.detail());
    }

    /** A batch's {@code batch.succeeded} or {@code batch.failed}, inside the transaction that ends the batch. */
    public Uni<Void> enqueue(FinishedBatch batch) {
        return enqueue(WebhookEvents.ofBatch(batch.status()), null, batch.batchId(), batch.projectId(),
                batch.webhookUrl(), batch.detail());
    }

    private Uni<Void> enqueue(String type, String jobId, String batchId, String projectId, String webhookUrl,
            Object detail) {
        if (type == null) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        String body = serialize(jobId != null ? jobId : batchId,
                new Envelope(type, now.truncatedTo(ChronoUnit.MILLIS).toString(), detail));
        return endpoints.inProject(projectId).chain(subscribed -> {
            List<WebhookDelivery> rows = new ArrayList<>();
            if (webhookUrl != null) {
                rows.add(delivery(jobId, batchId, projectId, null, webhookUrl, type, body, now));
            }
            subscribed.stream().filter(endpoint -> Arrays.asList(endpoint.events).contains(type))
                    .forEach(endpoint -> rows.add(delivery(jobId, batchId, projectId, endpoint.id, endpoint.url, type,
                            body, now)));
            return rows.isEmpty() ? Uni.createFrom().voidItem() : deliveries.persist(rows);
        });
    }

    private static WebhookDelivery delivery(String jobId, String batchId, String projectId, String endpointId,
            String url, String type, String body, Instant now) {
        WebhookDelivery delivery = new WebhookDelivery();
        delivery.id = Ids.next(Ids.WEBHOOK_MESSAGE);
        delivery.jobId = jobId;
        delivery.batchId = batchId;
        delivery.projectId = projectId;
        delivery.endpointId = endpointId;
        delivery.url = url;
        delivery.eventType = type;
        delivery.body = body;
        delivery.nextAttemptAt = now;
        delivery.createdAt = now;
        return delivery;
    }

    private String serialize(String ownerId, Envelope envelope) {
        try {
            return json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the webhook of " + ownerId, e);
        }
    }
}
