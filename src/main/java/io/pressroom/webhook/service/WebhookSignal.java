package io.pressroom.webhook.service;

import jakarta.enterprise.context.ApplicationScoped;

/** Lets a job that ended on this pod wake the webhook sender at once instead of at its next poll. */
@ApplicationScoped
public class WebhookSignal {

    private volatile Runnable listener = () -> {
    };

    public void onWake(Runnable listener) {
        this.listener = listener;
    }

    public void wake() {
        listener.run();
    }
}
