package io.pressroom.common;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Periodic background work (the outbox relay, the reaper, sweeps) that uses Hibernate Reactive: it needs a fresh,
 * safe duplicated Vert.x context, which timer callbacks do not run on. One run at a time; a run asked for while
 * one is in progress happens right after it.
 */
public final class Background {

    private static final Logger LOG = Logger.getLogger(Background.class);

    private final Vertx vertx;
    private final String name;
    private final Supplier<Uni<Boolean>> work;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile long timer = -1;
    private volatile boolean stopped;

    /** @param work one run; completes with {@code true} when it should run again at once (more is waiting) */
    public Background(Vertx vertx, String name, Supplier<Uni<Boolean>> work) {
        this.vertx = vertx;
        this.name = name;
        this.work = work;
    }

    public void every(java.time.Duration interval) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> run());
    }

    public void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Runs now, or right after the run in progress. */
    public void run() {
        if (stopped) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        Contexts.onNewContext(vertx, work).subscribe().with(more -> finish(Boolean.TRUE.equals(more)), failure -> {
            LOG.warnf("%s: %s", name, failure.getMessage());
            finish(false);
        });
    }

    private void finish(boolean more) {
        running.set(false);
        if (more || again.getAndSet(false)) {
            run();
        }
    }
}
