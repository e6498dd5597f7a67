package io.pressroom.common;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Periodic background work (the outbox relay, the reaper, sweeps) that uses Hibernate Reactive: it needs a fresh,
 * safe duplicated Vert.x context, which timer callbacks do not run on. One run at a time; a run asked for while
 * one is in progress happens right after it. A run that has not ended within its timeout (a statement on a half-open
 * connection never answers) is given up, so that the loop goes on.
 */
public final class Background {

    private static final Logger LOG = Logger.getLogger(Background.class);

    private final Vertx vertx;
    private final String name;
    private final Duration runTimeout;
    private final Supplier<Uni<Boolean>> work;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /** Touched only as a run ends, and runs follow one another ({@code running}). */
    private final FailureStreak failures;
    private volatile long timer = -1;
    private volatile boolean stopped;

    /**
     * @param runTimeout longest one run may take before it is given up
     * @param work one run; completes with {@code true} when it should run again at once (more is waiting)
     */
    public Background(Vertx vertx, String name, Duration runTimeout, Supplier<Uni<Boolean>> work) {
        this.vertx = vertx;
        this.name = name;
        this.runTimeout = runTimeout;
        this.work = work;
        this.failures = new FailureStreak(name, Duration.ofMinutes(1), System::nanoTime);
    }

    public void every(Duration interval) {
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
        Contexts.onNewContext(vertx, work).ifNoItem().after(runTimeout)
                .failWith(() -> new TimeoutException("the run did not end within " + runTimeout.toMillis() + " ms"))
                .subscribe().with(more -> {
                    String recovered = failures.succeeded();
                    if (recovered != null) {
                        LOG.info(recovered);
                    }
                    finish(Boolean.TRUE.equals(more));
                }, failure -> {
                    String line = failures.failed(String.valueOf(failure.getMessage()));
                    if (line != null) {
                        LOG.warn(line);
                    }
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
