package io.pressroom.common;

/**
 * Lets work done on this pod wake a polling background loop at once instead of at its next poll. In-process only:
 * other pods find the work at their next poll, which is also what makes the polled tables survive restarts. Each loop
 * has its own subclass, so that CDI tells them apart.
 */
public abstract class WakeSignal {

    private volatile Runnable listener = () -> {
    };

    public void onWake(Runnable listener) {
        this.listener = listener;
    }

    public void wake() {
        listener.run();
    }
}
