package io.pressroom.job.service;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Lets a committed state change wake the outbox relay at once instead of at its next poll. In-process only: other
 * pods find the row at their next poll, which is also what makes the outbox survive restarts.
 */
@ApplicationScoped
public class OutboxSignal {

    private volatile Runnable listener = () -> {
    };

    public void onWake(Runnable listener) {
        this.listener = listener;
    }

    public void wake() {
        listener.run();
    }
}
