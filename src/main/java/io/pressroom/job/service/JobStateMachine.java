package io.pressroom.job.service;

import java.time.Duration;
import java.util.List;

import io.pressroom.common.Backoff;
import io.pressroom.contract.ErrorCode;
import io.pressroom.job.repository.JobStatus;

/**
 * The job state machine as a pure function: given a job's state and a signal, what the job becomes and what must
 * happen with it. {@link JobTransitions} applies the decision in one transaction (job row, timeline event, outbox
 * row), and is the only writer of job state and timeline rows.
 * <p>
 * Guards: an event of an attempt other than the one last dispatched is stale; a terminal job never changes (it only
 * gains notes on its timeline); a repeated event changes nothing.
 */
public final class JobStateMachine {

    /** What the job is, as far as the state machine cares. */
    public record State(JobStatus status, int attempt, int dispatchedAttempt, int maxAttempts, int redispatches) {

        public State(JobStatus status, int attempt, int dispatchedAttempt, int maxAttempts) {
            this(status, attempt, dispatchedAttempt, maxAttempts, 0);
        }

        /** A new job: queued, waiting for its first attempt. */
        public static State initial(int maxAttempts) {
            return new State(JobStatus.queued, 0, 1, maxAttempts);
        }
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
    public record Failed(int attempt, ErrorCode code, String message, boolean retryable) implements Signal {
    }

    /**
     * The command of attempt {@code attempt} can never reach a renderer (Kafka refused it for good, e.g. as too
     * large): the job fails with {@code internal_error}, not retried, since every retry would carry the same command.
     */
    public record Undeliverable(int attempt, String reason) implements Signal {
    }

    /** The client cancelled the job. */
    public record Cancel() implements Signal {
    }

    /** The reaper found the job past its deadline in its current state. */
    public record Overdue() implements Signal {
    }

    /**
     * The reaper found the job past its deadline while its command still waits, unconsumed, behind others in its
     * queue: nothing is lost, it keeps its turn.
     */
    public record StillWaiting() implements Signal {
    }

    /** The reaper found a scheduled retry whose time has come. */
    public record RetryDue() implements Signal {
    }

    /** Something happened around the job that its timeline records, whatever its state; the state stays. */
    public record Noted(Note note) implements Signal {
    }

    /** Timeline events that are notes, not state changes. */
    public enum Note {
        webhook_delivered,
        webhook_failed,
        output_deleted,
        output_expired
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
        REDISPATCH,
        /** Only append the timeline event; the state does not change. */
        NOTE,
        /** Nothing is lost: only the deadline moves on (a job waiting its turn, a render whose renderer reported). */
        EXTEND
    }

    /**
     * The outcome: the next state, the timeline event to append (null for none), the effect, the delay of a
     * dispatch, and the failure the job records when it fails or waits for a retry (null otherwise).
     */
    public record Decision(State next, String timelineEvent, Effect effect, Duration delay, Failed failure) {
        static Decision none(State state) {
            return new Decision(state, null, Effect.NONE, Duration.ZERO, null);
        }

        static Decision record(State next, String timelineEvent) {
            return new Decision(next, timelineEvent, Effect.RECORD, Duration.ZERO, null);
        }

        public boolean changed() {
            return effect != Effect.NONE;
        }

        /**
         * Whether the outbox relay has something to send once this decision is committed: a command (dispatched,
         * sent again, or a retry's delayed command that came due) or a cancel. A render's progress and its end
         * leave none, so they need not wake the relay.
         */
        public boolean leavesMessage() {
            return effect == Effect.DISPATCH || effect == Effect.REDISPATCH || effect == Effect.RECORD
                    && (next.status() == JobStatus.queued || next.status() == JobStatus.cancelled);
        }
    }

    private final List<Duration> backoff;
    private final int maxRedispatches;

    /** @param backoff delay before attempt 2, 3, …; the last entry repeats */
    public JobStateMachine(List<Duration> backoff) {
        this(backoff, 3);
    }

    /** @param maxRedispatches how often one attempt's lost command is sent again before the job fails */
    public JobStateMachine(List<Duration> backoff, int maxRedispatches) {
        this.backoff = List.copyOf(backoff);
        this.maxRedispatches = maxRedispatches;
    }

    public Decision apply(State state, Signal signal) {
        if (signal instanceof Noted noted) {
            return new Decision(state, noted.note().name(), Effect.NOTE, Duration.ZERO, null);
        }
        if (state.status().terminal()) {
            return Decision.none(state);
        }
        if (signal instanceof Rendering r) {
            return rendering(state, r);
        }
        if (signal instanceof Succeeded s) {
            return current(state, s.attempt())
                    ? new Decision(with(state, JobStatus.succeeded, s.attempt()), "succeeded", Effect.ATTACH_OUTPUT,
                            Duration.ZERO, null)
                    : Decision.none(state);
        }
        if (signal instanceof Failed f) {
            return current(state, f.attempt()) ? failed(state, f) : Decision.none(state);
        }
        if (signal instanceof Undeliverable u) {
            return current(state, u.attempt()) ? failed(state, new Failed(u.attempt(), ErrorCode.INTERNAL_ERROR,
                    "the job's render command could not be sent to the renderers: " + u.reason(), false))
                    : Decision.none(state);
        }
        if (signal instanceof Cancel) {
            return Decision.record(new State(JobStatus.cancelled, state.attempt(), state.dispatchedAttempt(),
                    state.maxAttempts()), "cancelled");
        }
        if (signal instanceof StillWaiting) {
            boolean waiting = state.status() == JobStatus.queued || state.status() == JobStatus.retry_scheduled;
            return waiting ? new Decision(state, null, Effect.EXTEND, Duration.ZERO, null) : Decision.none(state);
        }
        if (signal instanceof RetryDue) {
            return state.status() == JobStatus.retry_scheduled
                    ? Decision.record(new State(JobStatus.queued, state.attempt(), state.dispatchedAttempt(),
                            state.maxAttempts()), "queued")
                    : Decision.none(state);
        }
        return overdue(state);
    }

    private Decision rendering(State state, Rendering r) {
        boolean waiting = state.status() == JobStatus.queued || state.status() == JobStatus.retry_scheduled;
        if (waiting && r.attempt() == state.dispatchedAttempt()) {
            return Decision.record(with(state, JobStatus.rendering, r.attempt()), "rendering");
        }
        if (state.status() == JobStatus.rendering && r.attempt() == state.dispatchedAttempt()) {
            // the renderer reports again that it is still at it: its lease goes on, nothing else changes
            return new Decision(state, null, Effect.EXTEND, Duration.ZERO, null);
        }
        return Decision.none(state);
    }

    private Decision failed(State state, Failed f) {
        if (f.retryable() && f.attempt() < state.maxAttempts()) {
            State next = new State(JobStatus.retry_scheduled, f.attempt(), f.attempt() + 1, state.maxAttempts());
            return new Decision(next, "retry_scheduled", Effect.DISPATCH, backoffBefore(f.attempt() + 1), f);
        }
        return new Decision(with(state, JobStatus.failed, f.attempt()), "failed", Effect.RECORD, Duration.ZERO, f);
    }

    private Decision overdue(State state) {
        return switch (state.status()) {
            // the command or its first event was lost: send it again (the renderer is idempotent), a few times
            case queued, retry_scheduled -> state.redispatches() < maxRedispatches
                    ? new Decision(state, null, Effect.REDISPATCH, Duration.ZERO, null)
                    : new Decision(with(state, JobStatus.failed, state.attempt()), "failed", Effect.RECORD,
                            Duration.ZERO, new Failed(state.dispatchedAttempt(), ErrorCode.INTERNAL_ERROR,
                                    "the job's render command was lost " + (state.redispatches() + 1)
                                            + " times; it was not rendered",
                                    false));
            // the renderer died with the job: count it as a crashed attempt
            case rendering -> failed(state, new Failed(state.dispatchedAttempt(), ErrorCode.RENDER_CRASHED,
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
        return new State(status, Math.max(state.attempt(), attempt), state.dispatchedAttempt(), state.maxAttempts(),
                state.redispatches());
    }

    /** The delay before attempt {@code attempt} (2 or more). */
    public Duration backoffBefore(int attempt) {
        return Backoff.before(backoff, attempt - 1);
    }
}
