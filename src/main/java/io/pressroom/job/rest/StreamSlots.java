package io.pressroom.job.rest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.config.PressroomConfig;

/**
 * Live event streams open per project on this pod, at most {@code pressroom.http.streams-per-project}. Written by
 * hand: Bucket4j limits rates, not how many things are open at once, and a semaphore per project would need the
 * same bookkeeping to forget idle projects; one atomic count per project (removed at zero) is all this takes.
 */
@ApplicationScoped
public class StreamSlots {

    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    private final int max;

    public StreamSlots(PressroomConfig config) {
        this.max = config.http().streamsPerProject();
    }

    /** Takes a slot for a new stream of {@code projectId}; false when the project has all of them open. */
    boolean tryOpen(String projectId) {
        boolean[] taken = { false };
        open.compute(projectId, (id, count) -> {
            int current = count == null ? 0 : count;
            if (max > 0 && current >= max) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        return taken[0];
    }

    /** Gives back a slot taken with {@link #tryOpen}. */
    void close(String projectId) {
        open.computeIfPresent(projectId, (id, count) -> count <= 1 ? null : count - 1);
    }

    int max() {
        return max;
    }
}
