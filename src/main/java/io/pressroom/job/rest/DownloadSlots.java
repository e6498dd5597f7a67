package io.pressroom.job.rest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.ApiProblem;
import io.pressroom.config.PressroomConfig;

/**
 * Downloads under way through each signed link on this pod, at most {@code pressroom.downloads.max-concurrent-per-link}
 * at once: a link is a bearer credential anyone who has it may share, and each download holds a storage connection
 * for as long as its client reads.
 */
@ApplicationScoped
public class DownloadSlots {

    private static final String RETRY_AFTER_SECONDS = "1";

    private final ConcurrentHashMap<String, Integer> inUse = new ConcurrentHashMap<>();
    private final int max;

    public DownloadSlots(PressroomConfig config) {
        this.max = config.downloads().maxConcurrentPerLink();
    }

    /**
     * A slot for one more download through {@code link}, or 429 {@code too_many_downloads} when all are taken. The
     * returned action gives it back; calling it again does nothing.
     */
    public Runnable take(String link) {
        if (max <= 0) {
            return () -> {
            };
        }
        boolean[] taken = { false };
        inUse.compute(link, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            throw ApiProblem.of(429, "too_many_downloads", "this link is already being downloaded " + max
                    + " times at once; retry when one has finished").withHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                inUse.computeIfPresent(link, (key, count) -> count <= 1 ? null : count - 1);
            }
        };
    }

    /** Downloads under way through {@code link} (for tests). */
    int inUse(String link) {
        return inUse.getOrDefault(link, 0);
    }
}
