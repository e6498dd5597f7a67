package io.pressroom.retention;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code pressroom.retention.deleted{kind}}: rows and objects the sweeps deleted. Registered on API pods at start,
 * so each kind shows (at 0) before its first deletion.
 */
@ApplicationScoped
public class RetentionMetrics {

    /** What a sweep deletes: rows of a table, or orphaned objects under a prefix of the bucket. */
    enum Kind {
        outbox,
        idempotency_records,
        webhook_deliveries,
        job_events,
        hidden_copies,
        batch_outputs,
        output_objects,
        payload_objects
    }

    private final MeterRegistry registry;
    private final Map<Kind, Counter> counters = new EnumMap<>(Kind.class);

    public RetentionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void register() {
        for (Kind kind : Kind.values()) {
            counters.computeIfAbsent(kind, k -> Counter.builder("pressroom.retention.deleted")
                    .description("Rows and objects deleted by the retention sweeps").tag("kind", k.name())
                    .register(registry));
        }
    }

    void deleted(Kind kind, int count) {
        if (count > 0) {
            register();
            counters.get(kind).increment(count);
        }
    }
}
