package io.pressroom.webhook.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.WakeSignal;

/** Lets a job that ended on this pod wake the webhook sender at once instead of at its next poll. */
@ApplicationScoped
public class WebhookSignal extends WakeSignal {
}
