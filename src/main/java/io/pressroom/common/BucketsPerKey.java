package io.pressroom.common;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * A token bucket (Bucket4j) per key (a project, a client address) on this pod: the request rate limit, failed
 * authentications and the usage queries' database time. A bucket left alone is full again after
 * {@code capacity / refill} periods; it is forgotten once it has been idle that long (a minute at least), which loses
 * nothing, so idle keys cost no memory. At most 100,000 keys are kept; beyond them the least recent are forgotten.
 */
public final class BucketsPerKey {

    private final long capacity;
    private final long refill;
    private final Duration period;
    private final Cache<String, Bucket> buckets;

    /** Buckets of {@code capacity} tokens, {@code refill} of them coming back (greedily) each {@code period}. */
    public BucketsPerKey(long capacity, long refill, Duration period) {
        this.capacity = Math.max(1, capacity);
        this.refill = Math.max(1, refill);
        this.period = period;
        long periodsToFull = (this.capacity + this.refill - 1) / this.refill;
        Duration idle = period.multipliedBy(periodsToFull).plusSeconds(1);
        this.buckets = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterAccess(idle.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : idle).build();
    }

    /** The bucket of {@code key}, a full one when it had none. */
    public Bucket of(String key) {
        return buckets.get(key, ignored -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(refill, period).build()).build());
    }

    /** The bucket of {@code key} when it has spent tokens lately; null when it would be full. */
    public Bucket ifSpent(String key) {
        return buckets.getIfPresent(key);
    }

    /** Whole seconds to tell a client to wait for {@code nanos}, at least 1 (for {@code Retry-After}). */
    public static long retryAfterSeconds(long nanos) {
        return Duration.ofNanos(nanos).toSeconds() + 1;
    }
}
