package io.pressroom.job.rest;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.PlacesPerKey;
import io.pressroom.config.PressroomConfig;

/** Live event streams open per project on this pod, at most {@code pressroom.http.streams-per-project}. */
@ApplicationScoped
public class StreamSlots {

    private final PlacesPerKey open;

    public StreamSlots(PressroomConfig config) {
        this.open = new PlacesPerKey(config.http().streamsPerProject());
    }

    /** Takes a slot for a new stream of {@code projectId}; false when the project has all of them open. */
    boolean tryOpen(String projectId) {
        return open.take(projectId);
    }

    /** Gives back a slot taken with {@link #tryOpen}. */
    void close(String projectId) {
        open.giveBack(projectId);
    }

    int max() {
        return open.max();
    }
}
