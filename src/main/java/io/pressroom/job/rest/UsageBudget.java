package io.pressroom.job.rest;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.github.bucket4j.Bucket;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.BucketsPerKey;
import io.pressroom.common.PlacesPerKey;
import io.pressroom.config.PressroomConfig;
import io.smallrye.mutiny.Uni;

/**
 * The database time each project's usage queries may take on this pod. A usage query sums every job of its period
 * (up to a year of them), so its cost grows with the project's jobs, not with its requests: the request rate limit
 * let one project keep the database busy for everyone. Each project runs one at a time and may spend
 * {@code pressroom.http.usage-database-time-per-minute} of database time on them (a Bucket4j bucket of milliseconds,
 * charged with each query's time once it has ended); beyond it the next query waits, refused with 429.
 */
@ApplicationScoped
public class UsageBudget {

    private final PlacesPerKey running = new PlacesPerKey(1);
    private final long millisPerMinute;
    private final BucketsPerKey spent;

    public UsageBudget(PressroomConfig config) {
        this.millisPerMinute = config.http().usageDatabaseTimePerMinute().toMillis();
        this.spent = new BucketsPerKey(millisPerMinute, millisPerMinute, Duration.ofMinutes(1));
    }

    /** {@code query} run for {@code projectId} within its budget, or 429 {@code rate_limited} before it starts. */
    public <T> Uni<T> run(String projectId, Uni<T> query) {
        if (millisPerMinute <= 0) {
            return query;
        }
        Bucket bucket = spent.of(projectId);
        if (bucket.getAvailableTokens() <= 0) {
            long waitSeconds = BucketsPerKey.retryAfterSeconds(bucket.estimateAbilityToConsume(1)
                    .getNanosToWaitForRefill());
            throw ApiProblem.tooMany("rate_limited", "this project's usage queries took their "
                    + millisPerMinute / 1000.0 + " s of database time per minute on this API pod; retry after "
                    + waitSeconds + " s", waitSeconds);
        }
        if (!running.take(projectId)) {
            throw ApiProblem.tooMany("rate_limited",
                    "a usage query of this project is running on this API pod; retry when it has ended", 1);
        }
        long start = System.nanoTime();
        return query.onTermination().invoke(() -> {
            running.giveBack(projectId);
            bucket.consumeIgnoringRateLimits(Math.max(1, Duration.ofNanos(System.nanoTime() - start).toMillis()));
        });
    }
}
