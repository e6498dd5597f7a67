package io.pressroom.common;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What to log of one loop's failures in a row, so that an outage does not bury the log: the first failure, a new
 * cause at once, the same cause again at most once per {@code quiet} period with how long it has lasted, and the end
 * of the streak. While PostgreSQL was away the background loops logged one WARN per run, about 230 a minute on one
 * pod (the outbox relay alone runs every half second). Written by hand: JBoss Logging has no rate limit, and one
 * counter per loop is all it takes. Not thread-safe: one loop's runs follow one another.
 */
final class FailureStreak {

    private final String name;
    private final long quietNanos;
    private final LongSupplier nanoClock;
    private int failures;
    private long since;
    private long lastLogged;
    private String lastCause;

    FailureStreak(String name, Duration quiet, LongSupplier nanoClock) {
        this.name = name;
        this.quietNanos = quiet.toNanos();
        this.nanoClock = nanoClock;
    }

    /** A run failed with {@code cause}: the line to log at WARN, or null when it would only repeat itself. */
    String failed(String cause) {
        long now = nanoClock.getAsLong();
        failures++;
        if (failures == 1) {
            since = now;
        }
        boolean newCause = !cause.equals(lastCause);
        if (failures > 1 && !newCause && now - lastLogged < quietNanos) {
            return null;
        }
        lastLogged = now;
        lastCause = cause;
        return failures == 1 ? name + ": " + cause
                : name + ": " + cause + " (" + failures + " failures in a row over " + seconds(now - since) + " s)";
    }

    /** A run succeeded: the line to log at INFO when it ends a streak of failures, else null. */
    String succeeded() {
        if (failures == 0) {
            return null;
        }
        String line = name + ": working again after " + failures + (failures == 1 ? " failure" : " failures")
                + " in " + seconds(nanoClock.getAsLong() - since) + " s";
        failures = 0;
        lastCause = null;
        return line;
    }

    private static long seconds(long nanos) {
        return Duration.ofNanos(nanos).toSeconds();
    }
}
