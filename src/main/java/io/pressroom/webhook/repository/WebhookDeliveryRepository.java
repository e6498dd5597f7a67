package io.pressroom.webhook.repository;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class WebhookDeliveryRepository implements PanacheRepositoryBase<WebhookDelivery, String> {

    /**
     * Records how try {@code attempts} of a delivery ended; completes with false, changing nothing, when the row
     * has moved on (another pod claimed it again after this try's lease ran out).
     */
    public Uni<Boolean> recordTry(String id, int attempts, Integer status, String error, Instant nextAttemptAt,
            boolean delivered, boolean abandoned) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE).map(delivery -> {
            if (delivery == null || delivery.attempts != attempts) {
                return false;
            }
            Instant now = Instant.now();
            delivery.nextAttemptAt = nextAttemptAt;
            delivery.lastStatus = status;
            delivery.lastError = error;
            delivery.deliveredAt = delivered ? now : null;
            delivery.abandonedAt = abandoned ? now : null;
            return true;
        });
    }
}
