package io.pressroom.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/** Percentiles of a cell's latencies, by the nearest-rank method (a percentile is always one of the samples). */
final class Latencies {

    private final long[] sortedNanos;

    Latencies(long[] nanos) {
        this.sortedNanos = nanos.clone();
        Arrays.sort(sortedNanos);
    }

    int count() {
        return sortedNanos.length;
    }

    /** The smallest sample with at least {@code p} percent of the samples at or below it; NaN when there are none. */
    double percentileMillis(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile " + p + " is not in (0, 100]");
        }
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        // in decimals: in doubles 0.28 * 25 is 7.000000000000001, and its ceiling one rank too many
        int rank = BigDecimal.valueOf(p).multiply(BigDecimal.valueOf(sortedNanos.length))
                .divide(BigDecimal.valueOf(100)).setScale(0, RoundingMode.CEILING).intValueExact();
        return sortedNanos[Math.max(rank, 1) - 1] / 1e6;
    }
}
