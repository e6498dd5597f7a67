package io.pressroom.job.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.WakeSignal;

/**
 * Lets a committed change that may make room for render commands held back by fair dispatch (a render started, so
 * the window grows with the renders in progress, or a job ended) wake the outbox relay at once.
 */
@ApplicationScoped
public class DispatchRoomSignal extends WakeSignal {
}
