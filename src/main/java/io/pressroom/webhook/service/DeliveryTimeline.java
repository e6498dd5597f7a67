package io.pressroom.webhook.service;

import java.util.Map;

import io.smallrye.mutiny.Uni;

/**
 * Where a delivery try is written on its job's timeline ({@code webhook_delivered} or {@code webhook_failed}). The
 * job service implements it, as the one writer of timelines; it runs inside the caller's transaction, so a try's
 * outcome and its timeline event commit together.
 */
public interface DeliveryTimeline {

    Uni<Void> recordTry(String jobId, boolean delivered, Map<String, Object> details);
}
