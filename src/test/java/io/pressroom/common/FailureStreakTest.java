package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** A loop failing twice a second through an outage logs a handful of lines, not one per run. */
class FailureStreakTest {

    private final AtomicLong now = new AtomicLong();
    private final FailureStreak streak = new FailureStreak("Outbox relay", Duration.ofMinutes(1), now::get);

    @Test
    void aFiveMinuteOutageLogsItsStartOnceAMinuteAndItsEnd() {
        List<String> logged = new ArrayList<>();
        for (int run = 0; run < 600; run++) { // every 500 ms for 5 minutes
            now.set(Duration.ofMillis(500L * run).toNanos());
            String line = streak.failed("Connection refused: /127.0.0.1:55432");
            if (line != null) {
                logged.add(line);
            }
        }
        now.set(Duration.ofSeconds(300).toNanos());
        logged.add(streak.succeeded());

        assertThat(logged).hasSize(6);
        assertThat(logged.get(0)).isEqualTo("Outbox relay: Connection refused: /127.0.0.1:55432");
        assertThat(logged.get(1)).isEqualTo(
                "Outbox relay: Connection refused: /127.0.0.1:55432 (121 failures in a row over 60 s)");
        assertThat(logged.get(5)).isEqualTo("Outbox relay: working again after 600 failures in 300 s");
    }

    @Test
    void aNewCauseIsLoggedAtOnceAndASuccessStartsAFreshStreak() {
        assertThat(streak.succeeded()).as("no streak to end").isNull();
        assertThat(streak.failed("Connection refused")).isNotNull();
        now.set(Duration.ofSeconds(1).toNanos());
        assertThat(streak.failed("Connection refused")).isNull();
        assertThat(streak.failed("the run did not end within 30000 ms")).contains("3 failures in a row over 1 s");
        assertThat(streak.succeeded()).isEqualTo("Outbox relay: working again after 3 failures in 1 s");
        assertThat(streak.failed("Connection refused")).as("a new streak").isEqualTo("Outbox relay: Connection refused");
    }
}
