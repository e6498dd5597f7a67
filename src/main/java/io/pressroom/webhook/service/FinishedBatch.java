package io.pressroom.webhook.service;

/**
 * What the batch service hands the webhooks when a batch ends: who to tell, and the batch record to send as the
 * envelope's {@code data} (what {@code GET /v1/render-batches/{id}} answers).
 *
 * @param status the terminal status: {@code succeeded}, {@code failed} or {@code cancelled}
 * @param webhookUrl the batch's own webhook, or null
 */
public record FinishedBatch(String batchId, String projectId, String status, String webhookUrl, Object detail) {
}
