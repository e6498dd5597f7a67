package io.pressroom.webhook.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Lets go of webhook deliveries that are done (delivered, or abandoned after the last try): each try is on the
 * job's timeline already, and the row holds the whole signed body. Rows still being tried are never touched.
 */
@ApplicationScoped
public class WebhookRetention {

    private final Instance<Pool> database;

    public WebhookRetention(Instance<Pool> database) {
        this.database = database;
    }

    /**
     * Deletes up to {@code limit} deliveries that finished more than {@code age} ago, skipping rows another pod
     * holds; completes with how many. The finished-at index of migration V8 finds them.
     */
    public Uni<Integer> deleteFinished(Duration age, int limit) {
        return database.get().preparedQuery("""
                DELETE FROM webhook_deliveries WHERE id IN (
                    SELECT id FROM webhook_deliveries
                    WHERE COALESCE(delivered_at, abandoned_at) < now() - make_interval(secs => $1)
                    LIMIT $2 FOR UPDATE SKIP LOCKED)""").execute(Tuple.of(age.toMillis() / 1000.0, limit))
                .map(rows -> rows.rowCount());
    }
}
