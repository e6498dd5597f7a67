package io.pressroom.job.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.WakeSignal;

/** Lets the commit that ends a batch's last item start its assembly at once instead of at the next sweep. */
@ApplicationScoped
public class BatchSignal extends WakeSignal {
}
