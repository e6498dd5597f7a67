package io.pressroom.webhook.service;

/**
 * What the job service hands the webhooks when a job ends: who to tell, and the job record to send as the
 * envelope's {@code data} (what {@code GET /v1/render-jobs/{id}} answers). A plain value, so webhooks do not depend
 * on how jobs are stored.
 *
 * @param status the terminal status: {@code succeeded}, {@code failed} or {@code cancelled}
 * @param webhookUrl the job's own webhook, or null
 */
public record FinishedJob(String jobId, String projectId, String status, String webhookUrl, Object detail) {
}
