package io.pressroom.job.service;

import java.time.Duration;
import java.util.List;

import io.pressroom.common.Backoff;

/**
 * The job state machine as a pure function: given a job's state and a signal, what the job becomes and what must
 * happen with it. The caller applies the decision in one transaction (job row, timeline event, outbox row).
 * <p>
 * Guards: an event of an attempt other than the one last dispatched is stale; a terminal job never changes;
 * a repeated event changes nothing.
 */
public final class JobStateMachine {

    /** What the job is, as far as the state machine cares. */
    public record State(JobStatus status, int attempt, int dispatchedAttempt, int maxAttempts) {
    }

    /** Things that happen to a job. */
    public sealed interface Signal {
    }

    /** A renderer started attempt {@code attempt}. */
    public record Rendering(int attempt) implements Signal {
    }

    /** Attempt {@code attempt} produced its output. */
    public record Succeeded(int attempt) implements Signal {
    }

    /** Attempt {@code attempt} failed. */
    public record Failed(int attempt, String code, String message, boolean retryable) implements Signal {
    }

    /** The client cancelled the job. */
    public record Cancel() implements Signal {
    }

    /** The reaper found the job past its deadline in its current state. */
    public record Overdue() implements Signal {
    }

    public enum Effect {
        /** Nothing to do: stale, repeated or not applicable. */
        NONE,
        /** Record the new state and its timeline event. */
        RECORD,
        /** Record, and attach the output the event carries. */
        ATTACH_OUTPUT,
        /** Record, and send the render command for {@code next.dispatchedAttempt()} after {@link #delay}. */
        DISPATCH,
        /** Send the command of the current attempt again (it was lost); the state does not change. */
        REDISPATCH
    }

    /** The outcome: the next state, the timeline event to append (null for none), the effect. */
    public record Decision(State next, String timelineEvent, Effect effect, Duration delay) {
        static Decision none(State state) {
            return new Decision(state, null, Effect.NONE, Duration.ZERO);
        }

        public boolean changed() {
            return effect != Effect.NONE;
        }
    }

    private final List<Duration> backoff;

    /** @param backoff delay before attempt 2, 3, …; the last entry repeats */
    public JobStateMachine(List<Duration> backoff) {
        this.backoff = List.copyOf(backoff);
    }

    public Decision apply(State state, Signal signal) {
        if (state.status().terminal()) {
            return Decision.none(state);
        }
        if (signal instanceof Rendering r) {
            return rendering(state, r);
        }
        if (signal instanceof Succeeded s) {
            return current(state, s.attempt())
                    ? new Decision(with(state, JobStatus.succeeded, s.attempt()), "succeeded", Effect.ATTACH_OUTPUT,
                            Duration.ZERO)
                    : Decision.none(state);
        }
        if (signal instanceof Failed f) {
            return current(state, f.attempt()) ? failed(state, f) : Decision.none(state);
        }
        if (signal instanceof Cancel) {
            return new Decision(new State(JobStatus.cancelled, state.attempt(), state.dispatchedAttempt(),
                    state.maxAttempts()), "cancelled", Effect.RECORD, Duration.ZERO);
        }
        return overdue(state);
    }

    private Decision rendering(State state, Rendering r) {
        boolean waiting = state.status() == JobStatus.queued || state.status() == JobStatus.retry_scheduled;
        if (waiting && r.attempt() == state.dispatchedAttempt()) {
            return new Decision(with(state, JobStatus.rendering, r.attempt()), "rendering", Effect.RECORD,
                    Duration.ZERO);
        }
        return Decision.none(state);
    }

    private Decision failed(State state, Failed f) {
        if (f.retryable() && f.attempt() < state.maxAttempts()) {
            State next = new State(JobStatus.retry_scheduled, f.attempt(), f.attempt() + 1, state.maxAttempts());
            return new Decision(next, "retry_scheduled", Effect.DISPATCH, backoffBefore(f.attempt() + 1));
        }
        return new Decision(with(state, JobStatus.failed, f.attempt()), "failed", Effect.RECORD, Duration.ZERO);
    }

    private Decision overdue(State state) {
        return switch (state.status()) {
            // the command or its first event was lost: send it again, the renderer is idempotent
            case queued, retry_scheduled -> new Decision(state, null, Effect.REDISPATCH, Duration.ZERO);
            // the renderer died with the job: count it as a crashed attempt
            case rendering -> failed(state, new Failed(state.dispatchedAttempt(), "render_crashed",
                    "the renderer stopped reporting on this attempt", true));
            default -> Decision.none(state);
        };
    }

    /** Events count only for the attempt last dispatched, and only while the job waits for or runs it. */
    private static boolean current(State state, int attempt) {
        return attempt == state.dispatchedAttempt()
                && (state.status() == JobStatus.rendering || state.status() == JobStatus.queued
                        || state.status() == JobStatus.retry_scheduled);
    }

    private static State with(State state, JobStatus status, int attempt) {
        return new State(status, Math.max(state.attempt(), attempt), state.dispatchedAttempt(), state.maxAttempts());
    }

    /** The delay before attempt {@code attempt} (2 or more). */
    public Duration backoffBefore(int attempt) {
        return Backoff.before(backoff, attempt - 1);
    }
}
