package io.pressroom.auth;

import java.time.Duration;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import io.pressroom.common.BucketsPerKey;
import io.pressroom.config.PressroomConfig;

/**
 * Failed authentications per client address ({@code pressroom.http.auth-failures-per-minute}, burst
 * {@code pressroom.http.auth-failure-burst}), a token bucket (Bucket4j) per address on each API pod. It is asked
 * before a key is looked up, so a flood of well-formed wrong {@code prk_} keys costs one database query per token,
 * not one per request; only failures spend tokens, so a busy client with a right key is never slowed by it.
 */
@ApplicationScoped
public class AuthFailures {

    private final int perMinute;
    private final int burst;
    private final BucketsPerKey buckets;

    public AuthFailures(PressroomConfig config) {
        this.perMinute = config.http().authFailuresPerMinute();
        this.burst = Math.max(1, config.http().authFailureBurst());
        this.buckets = new BucketsPerKey(burst, perMinute, Duration.ofMinutes(1));
    }

    /** Seconds until {@code address} may try again when its failures used up its budget; empty when it may now. */
    public OptionalLong refusedFor(String address) {
        if (perMinute <= 0) {
            return OptionalLong.empty();
        }
        Bucket bucket = buckets.ifSpent(address);
        if (bucket == null) {
            return OptionalLong.empty();
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? OptionalLong.empty()
                : OptionalLong.of(BucketsPerKey.retryAfterSeconds(probe.getNanosToWaitForRefill()));
    }

    /** Counts a failed authentication from {@code address}. */
    public void failed(String address) {
        if (perMinute > 0) {
            buckets.of(address).tryConsume(1);
        }
    }

    public int perMinute() {
        return perMinute;
    }
}
