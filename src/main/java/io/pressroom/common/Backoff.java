package io.pressroom.common;

import java.time.Duration;
import java.util.List;

/** Retry delays configured as a list ({@code 2s,8s,30s}): the n-th retry waits the n-th step, the last repeats. */
public final class Backoff {

    private Backoff() {
    }

    /** The delay before retry {@code retry} (1 for the first retry); zero when there are no steps. */
    public static Duration before(List<Duration> steps, int retry) {
        if (steps.isEmpty()) {
            return Duration.ZERO;
        }
        return steps.get(Math.min(Math.max(retry, 1), steps.size()) - 1);
    }
}
