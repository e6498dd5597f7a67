package io.pressroom.job.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.WakeSignal;

/** Lets a committed state change wake the outbox relay at once instead of at its next poll. */
@ApplicationScoped
public class OutboxSignal extends WakeSignal {

    private volatile Runnable capacityListener = () -> {
    };

    public void onCapacity(Runnable listener) {
        this.capacityListener = listener;
    }

    /**
     * A committed change that may make room for render commands held back by fair dispatch: a render started (the
     * window grows with the renders in progress) or a job ended.
     */
    public void capacity() {
        capacityListener.run();
    }
}
