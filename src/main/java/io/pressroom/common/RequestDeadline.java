package io.pressroom.common;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.config.PressroomConfig;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.mutiny.Uni;

/**
 * How long one request may wait for PostgreSQL, in total over its calls (the key check, then the work):
 * {@code pressroom.http.dependency-timeout}. Past it, or when the database is away, the call fails with
 * {@code dependency_unavailable} (503 with Retry-After) instead of hanging. Counted per request (its Vert.x
 * context), so that the key check and a cancel that each wait almost the whole timeout still answer in time; time
 * spent not waiting for the database (a sync wait for the render) does not count.
 */
@ApplicationScoped
public class RequestDeadline {

    private static final String SPENT = RequestDeadline.class.getName() + ".spent";

    private final Duration timeout;

    public RequestDeadline(PressroomConfig config) {
        this.timeout = config.http().dependencyTimeout();
    }

    /** {@code work} bounded by what is left of this request's time for the database ({@link Transient#bounded}). */
    public <T> Uni<T> database(Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            AtomicLong spent = spentInThisRequest();
            Duration left = timeout.minusNanos(spent.get());
            if (left.isNegative() || left.isZero()) {
                return Uni.createFrom().failure(Transient.unavailable("the database did not answer within "
                        + timeout.toMillis() + " ms"));
            }
            long start = System.nanoTime();
            return Transient.bounded(work, left, "the database")
                    .onTermination().invoke(() -> spent.addAndGet(System.nanoTime() - start));
        });
    }

    private static AtomicLong spentInThisRequest() {
        try {
            AtomicLong fresh = new AtomicLong();
            AtomicLong known = ContextLocals.<AtomicLong> get(SPENT).orElse(null);
            if (known != null) {
                return known;
            }
            ContextLocals.put(SPENT, fresh);
            return fresh;
        } catch (UnsupportedOperationException | IllegalStateException notInARequest) {
            return new AtomicLong(); // no duplicated context: the call has the whole timeout
        }
    }
}
