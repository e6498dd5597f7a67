package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.pressroom.contract.ErrorCode;
import io.pressroom.job.repository.JobStatus;
import io.pressroom.job.service.JobStateMachine;
import io.pressroom.job.service.JobStateMachine.Cancel;
import io.pressroom.job.service.JobStateMachine.Decision;
import io.pressroom.job.service.JobStateMachine.Effect;
import io.pressroom.job.service.JobStateMachine.Failed;
import io.pressroom.job.service.JobStateMachine.Note;
import io.pressroom.job.service.JobStateMachine.Noted;
import io.pressroom.job.service.JobStateMachine.Overdue;
import io.pressroom.job.service.JobStateMachine.Rendering;
import io.pressroom.job.service.JobStateMachine.RetryDue;
import io.pressroom.job.service.JobStateMachine.Signal;
import io.pressroom.job.service.JobStateMachine.State;
import io.pressroom.job.service.JobStateMachine.StillWaiting;
import io.pressroom.job.service.JobStateMachine.Succeeded;

class JobStateMachineTest {

    private final JobStateMachine machine = new JobStateMachine(
            List.of(Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofSeconds(30)));

    private static State fresh() {
        return new State(JobStatus.queued, 0, 1, 3);
    }

    @Test
    void happyPath() {
        Decision rendering = machine.apply(fresh(), new Rendering(1));
        assertThat(rendering.next()).isEqualTo(new State(JobStatus.rendering, 1, 1, 3));
        assertThat(rendering.timelineEvent()).isEqualTo("rendering");
        Decision done = machine.apply(rendering.next(), new Succeeded(1));
        assertThat(done.next().status()).isEqualTo(JobStatus.succeeded);
        assertThat(done.effect()).isEqualTo(Effect.ATTACH_OUTPUT);
    }

    @Test
    void succeededWithoutASeenRenderingEventStillCounts() {
        assertThat(machine.apply(fresh(), new Succeeded(1)).next()).isEqualTo(new State(JobStatus.succeeded, 1, 1, 3));
    }

    @Test
    void retryableFailuresScheduleTheNextAttemptWithBackoffUntilTheLast() {
        State state = machine.apply(fresh(), new Rendering(1)).next();
        Decision first = machine.apply(state, new Failed(1, ErrorCode.RENDER_CRASHED, "x", true));
        assertThat(first.next()).isEqualTo(new State(JobStatus.retry_scheduled, 1, 2, 3));
        assertThat(first.effect()).isEqualTo(Effect.DISPATCH);
        assertThat(first.delay()).isEqualTo(Duration.ofSeconds(2));

        Decision second = machine.apply(machine.apply(first.next(), new Rendering(2)).next(),
                new Failed(2, ErrorCode.RENDER_CRASHED, "x", true));
        assertThat(second.next()).isEqualTo(new State(JobStatus.retry_scheduled, 2, 3, 3));
        assertThat(second.delay()).isEqualTo(Duration.ofSeconds(8));

        Decision last = machine.apply(machine.apply(second.next(), new Rendering(3)).next(),
                new Failed(3, ErrorCode.RENDER_CRASHED, "x", true));
        assertThat(last.next()).isEqualTo(new State(JobStatus.failed, 3, 3, 3));
        assertThat(last.effect()).isEqualTo(Effect.RECORD);
        assertThat(machine.backoffBefore(10)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void nonRetryableFailuresEndTheJob() {
        State rendering = machine.apply(fresh(), new Rendering(1)).next();
        assertThat(machine.apply(rendering, new Failed(1, ErrorCode.TEMPLATE_ERROR, "x", false)).next().status())
                .isEqualTo(JobStatus.failed);
    }

    @Test
    void staleAttemptsAndRepeatsChangeNothing() {
        State retrying = new State(JobStatus.retry_scheduled, 1, 2, 3);
        assertThat(machine.apply(retrying, new Succeeded(1)).changed()).isFalse();
        assertThat(machine.apply(retrying, new Failed(1, ErrorCode.INTERNAL_ERROR, "x", true)).changed()).isFalse();
        assertThat(machine.apply(retrying, new Rendering(1)).changed()).isFalse();
        State rendering = new State(JobStatus.rendering, 2, 2, 3);
        assertThat(machine.apply(rendering, new Rendering(1)).changed()).isFalse();
        assertThat(machine.apply(rendering, new Rendering(3)).changed()).isFalse();
    }

    @Test
    void aRendererReportingAgainOnlyRenewsTheLease() {
        State rendering = new State(JobStatus.rendering, 2, 2, 3);
        Decision again = machine.apply(rendering, new Rendering(2));
        assertThat(again.effect()).isEqualTo(Effect.EXTEND);
        assertThat(again.next()).isEqualTo(rendering);
        assertThat(again.timelineEvent()).isNull();
    }

    @Test
    void anUndeliverableCommandFailsItsJobWithoutRetryUnlessStale() {
        State queued = new State(JobStatus.queued, 0, 1, 3);
        Decision decision = machine.apply(queued, new JobStateMachine.Undeliverable(1, "it is too large"));
        assertThat(decision.next().status()).isEqualTo(JobStatus.failed);
        assertThat(decision.failure().code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(decision.failure().retryable()).isFalse();
        assertThat(decision.failure().message()).contains("could not be sent", "it is too large");
        // a command of an attempt the job has moved past changes nothing
        State retrying = new State(JobStatus.retry_scheduled, 1, 2, 3);
        assertThat(machine.apply(retrying, new JobStateMachine.Undeliverable(1, "x")).changed()).isFalse();
    }

    @Test
    void cancelWorksUntilTerminal() {
        for (JobStatus status : List.of(JobStatus.queued, JobStatus.rendering, JobStatus.retry_scheduled)) {
            Decision cancel = machine.apply(new State(status, 1, 1, 3), new Cancel());
            assertThat(cancel.next().status()).isEqualTo(JobStatus.cancelled);
            assertThat(cancel.timelineEvent()).isEqualTo("cancelled");
        }
        for (JobStatus status : List.of(JobStatus.succeeded, JobStatus.failed, JobStatus.cancelled)) {
            assertThat(machine.apply(new State(status, 1, 1, 3), new Cancel()).changed()).isFalse();
        }
    }

    @Test
    void overdueJobsAreReDriven() {
        assertThat(machine.apply(fresh(), new Overdue()).effect()).isEqualTo(Effect.REDISPATCH);
        Decision lost = machine.apply(new State(JobStatus.rendering, 1, 1, 3), new Overdue());
        assertThat(lost.next().status()).isEqualTo(JobStatus.retry_scheduled);
        assertThat(lost.effect()).isEqualTo(Effect.DISPATCH);
        // the failure the job records comes with the decision: the reaper's signal is not a failure itself
        assertThat(lost.failure().code()).isEqualTo(ErrorCode.RENDER_CRASHED);
        assertThat(lost.failure().attempt()).isEqualTo(1);
        Decision lastLost = machine.apply(new State(JobStatus.rendering, 3, 3, 3), new Overdue());
        assertThat(lastLost.next().status()).isEqualTo(JobStatus.failed);
        assertThat(lastLost.failure().code()).isEqualTo(ErrorCode.RENDER_CRASHED);
        assertThat(machine.apply(new State(JobStatus.succeeded, 1, 1, 3), new Overdue()).changed()).isFalse();
    }

    @Test
    void aLostCommandIsSentAgainAFewTimesThenTheJobFails() {
        JobStateMachine capped = new JobStateMachine(List.of(Duration.ofSeconds(2)), 2);
        assertThat(capped.apply(new State(JobStatus.queued, 0, 1, 3, 1), new Overdue()).effect())
                .isEqualTo(Effect.REDISPATCH);
        Decision given = capped.apply(new State(JobStatus.queued, 0, 1, 3, 2), new Overdue());
        assertThat(given.next().status()).isEqualTo(JobStatus.failed);
        assertThat(given.failure().code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(given.failure().message()).contains("lost 3 times");
        assertThat(given.failure().retryable()).isFalse();
    }

    @Test
    void aJobStillBehindOthersInItsQueueOnlyKeepsWaiting() {
        for (JobStatus status : List.of(JobStatus.queued, JobStatus.retry_scheduled)) {
            Decision waiting = machine.apply(new State(status, 1, 2, 3), new StillWaiting());
            assertThat(waiting.effect()).isEqualTo(Effect.EXTEND);
            assertThat(waiting.next()).isEqualTo(new State(status, 1, 2, 3));
            assertThat(waiting.timelineEvent()).isNull();
        }
        for (JobStatus status : List.of(JobStatus.rendering, JobStatus.succeeded, JobStatus.failed,
                JobStatus.cancelled)) {
            assertThat(machine.apply(new State(status, 1, 2, 3), new StillWaiting()).changed()).isFalse();
        }
    }

    @Test
    void aDueRetryQueuesTheJobAgainOnlyWhileItWaitsForIt() {
        Decision due = machine.apply(new State(JobStatus.retry_scheduled, 1, 2, 3), new RetryDue());
        assertThat(due.next()).isEqualTo(new State(JobStatus.queued, 1, 2, 3));
        assertThat(due.timelineEvent()).isEqualTo("queued");
        assertThat(due.effect()).isEqualTo(Effect.RECORD);
        for (JobStatus status : List.of(JobStatus.queued, JobStatus.rendering, JobStatus.succeeded,
                JobStatus.failed, JobStatus.cancelled)) {
            assertThat(machine.apply(new State(status, 1, 2, 3), new RetryDue()).changed()).as(status.name())
                    .isFalse();
        }
    }

    /**
     * The relay is woken after the decisions that leave it a message to send now, and only after those: a command
     * that waited for a wake-up would wait for the relay's next poll.
     */
    @Test
    void theDecisionsThatLeaveTheRelayAMessage() {
        State rendering = new State(JobStatus.rendering, 1, 1, 3);
        assertThat(machine.apply(fresh(), new Overdue()).leavesMessage()).as("a lost command sent again").isTrue();
        assertThat(machine.apply(rendering, new Failed(1, ErrorCode.RENDER_CRASHED, "x", true)).leavesMessage())
                .as("a retry's command").isTrue();
        assertThat(machine.apply(new State(JobStatus.retry_scheduled, 1, 2, 3), new RetryDue()).leavesMessage())
                .as("a retry that came due").isTrue();
        assertThat(machine.apply(rendering, new Cancel()).leavesMessage()).as("a cancel").isTrue();

        assertThat(machine.apply(fresh(), new Rendering(1)).leavesMessage()).as("rendering").isFalse();
        assertThat(machine.apply(rendering, new Rendering(1)).leavesMessage()).as("rendering again").isFalse();
        assertThat(machine.apply(rendering, new Succeeded(1)).leavesMessage()).as("succeeded").isFalse();
        assertThat(machine.apply(rendering, new Failed(1, ErrorCode.TEMPLATE_ERROR, "x", false)).leavesMessage())
                .as("failed").isFalse();
        assertThat(machine.apply(fresh(), new StillWaiting()).leavesMessage()).as("still waiting").isFalse();
        assertThat(machine.apply(fresh(), new Noted(Note.values()[0])).leavesMessage()).as("a note").isFalse();
        assertThat(machine.apply(new State(JobStatus.succeeded, 1, 1, 3), new Cancel()).leavesMessage())
                .as("a cancel too late").isFalse();
    }

    @Test
    void notesGoOnTheTimelineOfAnyJobAndChangeNoState() {
        for (JobStatus status : JobStatus.values()) {
            State state = new State(status, 1, 1, 3);
            for (Note note : Note.values()) {
                Decision noted = machine.apply(state, new Noted(note));
                assertThat(noted.next()).isEqualTo(state);
                assertThat(noted.effect()).isEqualTo(Effect.NOTE);
                assertThat(noted.timelineEvent()).isEqualTo(note.name());
            }
        }
    }

    /**
     * Random orders, repeats and stale attempts of events: the terminal state absorbs, the attempt never goes
     * back, never passes the limit, and an output is attached at most once.
     */
    @Test
    void randomizedEventStreamsKeepTheInvariants() {
        long seed = Long.getLong("pressroom.test.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int run = 0; run < 20_000; run++) {
            State state = fresh();
            int attached = 0;
            List<Signal> history = new ArrayList<>();
            for (int step = 0; step < 12; step++) {
                Signal signal = randomSignal(random, state);
                history.add(signal);
                Decision decision = machine.apply(state, signal);
                State next = decision.next();
                String context = "seed " + seed + " (rerun with -Dpressroom.test.seed=" + seed + "), run " + run
                        + ", history " + history;
                if (state.status().terminal()) {
                    assertThat(next).as(context).isEqualTo(state);
                    assertThat(decision.effect()).as(context).isIn(Effect.NONE, Effect.NOTE);
                }
                if (decision.changed() && (next.status() == JobStatus.failed
                        || next.status() == JobStatus.retry_scheduled) && next.status() != state.status()) {
                    assertThat(decision.failure()).as(context).isNotNull();
                }
                assertThat(next.attempt()).as(context).isGreaterThanOrEqualTo(state.attempt())
                        .isLessThanOrEqualTo(next.dispatchedAttempt());
                assertThat(next.dispatchedAttempt()).as(context).isGreaterThanOrEqualTo(state.dispatchedAttempt())
                        .isLessThanOrEqualTo(next.maxAttempts());
                if (decision.effect() == Effect.ATTACH_OUTPUT) {
                    attached++;
                    assertThat(next.status()).as(context).isEqualTo(JobStatus.succeeded);
                }
                assertThat(attached).as(context).isLessThanOrEqualTo(1);
                if (next.status() == JobStatus.succeeded) {
                    assertThat(attached).as(context).isEqualTo(1);
                }
                state = next;
            }
        }
    }

    private static Signal randomSignal(Random random, State state) {
        int attempt = Math.max(1, state.dispatchedAttempt() + random.nextInt(3) - 1);
        return switch (random.nextInt(8)) {
            case 0 -> new Rendering(attempt);
            case 1 -> new Succeeded(attempt);
            case 2, 3 -> new Failed(attempt, ErrorCode.RENDER_CRASHED, "boom", random.nextBoolean());
            case 4 -> random.nextInt(4) == 0 ? new Cancel() : new Rendering(attempt);
            case 5 -> random.nextBoolean() ? new RetryDue() : new StillWaiting();
            case 6 -> new Noted(Note.values()[random.nextInt(Note.values().length)]);
            default -> new Overdue();
        };
    }
}
