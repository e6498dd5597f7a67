package io.pressroom.job.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.WakeSignal;

/** Lets a committed state change wake the outbox relay at once instead of at its next poll. */
@ApplicationScoped
public class OutboxSignal extends WakeSignal {
}
