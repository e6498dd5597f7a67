package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The per-key buckets behind the rate limit, failed authentications and the usage budget. */
class BucketsPerKeyTest {

    @Test
    void eachKeySpendsItsOwnBucketOfCapacityTokens() {
        BucketsPerKey buckets = new BucketsPerKey(3, 1, Duration.ofHours(1));

        assertThat(buckets.ifSpent("a")).isNull();
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.of("a").tryConsume(1)).isTrue();
        }
        assertThat(buckets.of("a").tryConsume(1)).isFalse();
        assertThat(buckets.ifSpent("a")).isSameAs(buckets.of("a"));
        assertThat(buckets.of("b").tryConsume(1)).as("another key's bucket is full").isTrue();
    }

    @Test
    void retryAfterIsAWholeSecondMoreThanTheWaitSoAClientNeverComesBackEarly() {
        assertThat(BucketsPerKey.retryAfterSeconds(0)).isEqualTo(1);
        assertThat(BucketsPerKey.retryAfterSeconds(Duration.ofMillis(999).toNanos())).isEqualTo(1);
        assertThat(BucketsPerKey.retryAfterSeconds(Duration.ofMillis(1_000).toNanos())).isEqualTo(2);
        assertThat(BucketsPerKey.retryAfterSeconds(Duration.ofSeconds(59).toNanos())).isEqualTo(60);
    }
}
