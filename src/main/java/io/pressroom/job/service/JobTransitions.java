package io.pressroom.job.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.common.Ids;
import io.pressroom.common.Refusal;
import io.pressroom.common.RequestDeadline;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.ErrorCode;
import io.pressroom.contract.RenderEvent;
import io.pressroom.contract.StorageKeys;
import io.pressroom.job.repository.JobRepository;
import io.pressroom.job.repository.JobStatus;
import io.pressroom.job.repository.OutputRepository;
import io.pressroom.job.repository.RenderJob;
import io.pressroom.job.repository.RenderOutput;
import io.pressroom.job.service.JobLedger.Entry;
import io.pressroom.job.service.JobStateMachine.Decision;
import io.pressroom.job.service.JobStateMachine.Effect;
import io.pressroom.job.service.JobStateMachine.Failed;
import io.pressroom.job.service.JobStateMachine.Note;
import io.pressroom.job.service.JobStateMachine.Signal;
import io.pressroom.job.service.JobStateMachine.State;
import io.pressroom.job.service.JobViews.JobDetail;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.webhook.service.DeliveryTimeline;
import io.pressroom.webhook.service.FinishedJob;
import io.pressroom.webhook.service.WebhookOutbox;
import io.pressroom.webhook.service.WebhookSignal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The one writer of job state: applies signals to jobs — renderers' events, cancels, the reaper's overdue and
 * retry-due findings, and notes such as webhook tries and output deletions — each in one transaction that locks the
 * job row, asks {@link JobStateMachine} what to do, and writes the job, its timeline event, its output, any outbox
 * row and, when it ends, its webhook deliveries together. Storage clean-up (a purged payload, a discarded output)
 * happens after the commit.
 */
@ApplicationScoped
public class JobTransitions implements DeliveryTimeline {

    private static final Logger LOG = Logger.getLogger(JobTransitions.class);

    /**
     * What a transition left to do outside the transaction; {@code attachedKey} is the storage key of the job's
     * attached PDF when an event with an output changed nothing (null otherwise).
     */
    private record Outcome(RenderJob job, Decision decision, List<String> storageKeysToDelete, String attachedKey) {
        Outcome(RenderJob job, Decision decision, List<String> storageKeysToDelete) {
            this(job, decision, storageKeysToDelete, null);
        }
    }

    private final JobRepository jobs;
    private final OutputRepository outputs;
    private final JobLedger ledger;
    private final ObjectStorage storage;
    private final OutboxSignal outboxSignal;
    private final JobStateMachine machine;
    private final PressroomConfig.Jobs config;
    private final JobMetrics metrics;
    private final WebhookOutbox webhooks;
    private final WebhookSignal webhookSignal;
    private final RequestDeadline deadline;
    private final BatchLedger batches;
    private final BatchSignal batchSignal;
    private final DispatchRoomSignal dispatchRoom;
    private final ObjectMapper json;

    public JobTransitions(JobRepository jobs, OutputRepository outputs, JobLedger ledger, ObjectStorage storage,
            OutboxSignal outboxSignal, PressroomConfig config, JobMetrics metrics, WebhookOutbox webhooks,
            WebhookSignal webhookSignal, RequestDeadline deadline, BatchLedger batches, BatchSignal batchSignal,
            DispatchRoomSignal dispatchRoom, ObjectMapper json) {
        this.jobs = jobs;
        this.dispatchRoom = dispatchRoom;
        this.json = json;
        this.batches = batches;
        this.batchSignal = batchSignal;
        this.deadline = deadline;
        this.webhooks = webhooks;
        this.webhookSignal = webhookSignal;
        this.metrics = metrics;
        this.outputs = outputs;
        this.ledger = ledger;
        this.storage = storage;
        this.outboxSignal = outboxSignal;
        this.config = config.jobs();
        this.machine = new JobStateMachine(config.jobs().retryBackoff(), config.jobs().maxRedispatches());
    }

    /** The state machine's view of a job. */
    static State stateOf(RenderJob job) {
        return new State(job.status, job.attempt, job.dispatchedAttempt, job.maxAttempts, job.redispatches);
    }

    /**
     * Creates a job, inside the caller's transaction: the job row in its initial state, its {@code created} and
     * {@code queued} events and the command of its first attempt.
     */
    Uni<RenderJob> create(RenderJob job) {
        State initial = State.initial(config.maxAttempts());
        job.status = initial.status();
        job.attempt = initial.attempt();
        job.dispatchedAttempt = initial.dispatchedAttempt();
        job.maxAttempts = initial.maxAttempts();
        job.updatedAt = job.requestedAt;
        job.deadlineAt = job.requestedAt.plus(config.queuedDeadline());
        return jobs.persist(job)
                .call(saved -> ledger.record(saved, List.of(new Entry("created", Map.of(), saved.requestedAt),
                        new Entry("queued", Map.of("queue", saved.queue), saved.requestedAt))))
                .call(saved -> ledger.dispatch(saved, Duration.ZERO));
    }

    /** Applies a renderer's event (already checked with {@link RenderEvent#problems()}). */
    public Uni<Void> apply(RenderEvent event) {
        String untrusted = event.type() == RenderEvent.Type.succeeded
                ? StorageKeys.untrusted(event.projectId(), event.jobId(), event.attempt(), event.output())
                : null;
        if (untrusted != null) {
            // fails the attempt; the output is neither attached nor deleted (its keys may be anyone's)
            LOG.warnf("Refusing the output reported for %s attempt %d: %s (storageKey %s, contentType %s)",
                    event.jobId(), event.attempt(), untrusted, event.output().storageKey(),
                    event.output().contentType());
            Failed refused = new Failed(event.attempt(), ErrorCode.INTERNAL_ERROR,
                    "the renderer reported an output the API does not accept: " + untrusted, true);
            return transition(event.jobId(), refused, null, event.projectId()).replaceWithVoid();
        }
        Signal signal = switch (event.type()) {
            case rendering -> new JobStateMachine.Rendering(event.attempt());
            case succeeded -> new JobStateMachine.Succeeded(event.attempt());
            case failed -> new Failed(event.attempt(), event.errorCode(), event.errorMessage(),
                    Boolean.TRUE.equals(event.retryable()));
        };
        // the job must be the event's project's: the output prefix checked above is that project's
        return transition(event.jobId(), signal, event, event.projectId()).replaceWithVoid();
    }

    /** The outbox relay's signal: the command of the job's attempt {@code attempt} can never be sent. */
    public Uni<Void> undeliverable(String jobId, int attempt, String reason) {
        return transition(jobId, new JobStateMachine.Undeliverable(attempt, reason), null, null).replaceWithVoid();
    }

    /** Cancels a job of the project; a conflict when it already ended. */
    public Uni<RenderJob> cancel(String projectId, String jobId) {
        // a request: a locked row or a stuck database answers 503 in time (the statement itself ends at the
        // database's statement_timeout, which frees its connection)
        return deadline.database(transition(jobId, new JobStateMachine.Cancel(), null, projectId))
                .map(outcome -> {
                    if (outcome == null) {
                        throw new Refusal.NotFound("render job " + jobId);
                    }
                    if (!outcome.decision().changed()) {
                        throw new Refusal.Conflict("job_not_cancellable",
                                "the job is " + outcome.job().status + " and can no longer be cancelled");
                    }
                    return outcome.job();
                });
    }

    /**
     * Cancels one item of a batch being cancelled, unless it has ended already; not bounded by the request's time
     * for the database (a batch may have a thousand items, each its own transaction).
     */
    Uni<Void> cancelItem(String jobId) {
        return transition(jobId, new JobStateMachine.Cancel(), null, null).replaceWithVoid();
    }

    /** The reaper's signal for a job past its deadline; re-checked under the row lock. */
    public Uni<Void> overdue(String jobId) {
        return transition(jobId, new JobStateMachine.Overdue(), null, null).replaceWithVoid();
    }

    /** The reaper's signal for an overdue job whose command is still behind others in its queue. */
    public Uni<Void> stillWaiting(String jobId) {
        return transition(jobId, new JobStateMachine.StillWaiting(), null, null).replaceWithVoid();
    }

    /** The reaper's signal for a job whose retry is due; re-checked under the row lock. */
    public Uni<Void> retryDue(String jobId) {
        return transition(jobId, new JobStateMachine.RetryDue(), null, null).replaceWithVoid();
    }

    /** A note on the job's timeline, inside the caller's transaction. */
    Uni<Void> note(String jobId, Note note, Map<String, Object> details) {
        return jobs.lock(jobId).chain(job -> {
            if (job == null) {
                return Uni.createFrom().voidItem();
            }
            Decision decision = machine.apply(stateOf(job), new JobStateMachine.Noted(note));
            return ledger.record(job, decision.timelineEvent(), details, Instant.now()).replaceWithVoid();
        });
    }

    @Override
    public Uni<Void> recordTry(String jobId, boolean delivered, Map<String, Object> details) {
        return note(jobId, delivered ? Note.webhook_delivered : Note.webhook_failed, details);
    }

    private Uni<Outcome> transition(String jobId, Signal signal, RenderEvent event, String projectId) {
        return Panache.withTransaction(() -> jobs.lock(jobId).chain(job -> {
            if (job == null || (projectId != null && !projectId.equals(job.projectId))) {
                return Uni.createFrom().nullItem();
            }
            if (reaperSignal(signal) && !due(job, signal)) {
                return Uni.createFrom().item(new Outcome(job, Decision.none(stateOf(job)), List.of()));
            }
            Decision decision = machine.apply(stateOf(job), signal);
            if (!decision.changed() && event != null && event.output() != null) {
                // which output is attached decides whether the event's render is a twin to discard
                return outputs.findPdf(job.id).map(attached -> new Outcome(job, decision, List.of(),
                        attached == null ? null : attached.storageKey));
            }
            return record(job, decision, event);
        })).call(outcome -> afterCommit(outcome, event));
    }

    private static boolean reaperSignal(Signal signal) {
        return signal instanceof JobStateMachine.Overdue || signal instanceof JobStateMachine.RetryDue
                || signal instanceof JobStateMachine.StillWaiting;
    }

    /** The reaper read without a lock: its finding holds only if the time it saw is still the job's. */
    private static boolean due(RenderJob job, Signal signal) {
        Instant time = signal instanceof JobStateMachine.RetryDue ? job.nextAttemptAt : job.deadlineAt;
        return time != null && !time.isAfter(Instant.now());
    }

    private Uni<Outcome> record(RenderJob job, Decision decision, RenderEvent event) {
        Instant now = Instant.now();
        Instant at = event == null ? now : Instant.ofEpochMilli(event.at());
        State next = decision.next();
        Failed failure = decision.failure();
        Map<String, Object> details = new HashMap<>();
        Uni<?> extra = Uni.createFrom().voidItem();
        RenderOutput[] attached = new RenderOutput[1];
        switch (decision.effect()) {
            case NONE, NOTE -> {
                return Uni.createFrom().item(new Outcome(job, decision, List.of()));
            }
            case EXTEND -> {
                job.keepWaiting(job.status == JobStatus.rendering ? renderingDeadline(job, at, now)
                        : now.plus(config.queuedDeadline()));
                return Uni.createFrom().item(new Outcome(job, decision, List.of()));
            }
            case REDISPATCH -> {
                LOG.infof("Job %s is overdue in %s: sending attempt %d again", job.id, job.status,
                        job.dispatchedAttempt);
                job.redispatch(now.plus(config.queuedDeadline()));
                return ledger.dispatch(job, Duration.ZERO).replaceWith(new Outcome(job, decision, List.of()));
            }
            default -> {
            }
        }
        switch (next.status()) {
            case rendering -> job.startRendering(next.attempt(), at, renderingDeadline(job, at, now));
            case queued -> {
                job.requeue(now.plus(config.queuedDeadline()));
                details.put("reason", "retry");
            }
            case retry_scheduled -> {
                Instant nextAt = now.plus(decision.delay());
                job.scheduleRetry(next.attempt(), next.dispatchedAttempt(), failure.code().code(), failure.message(),
                        nextAt, nextAt.plus(config.queuedDeadline()));
                details.put("errorCode", failure.code().code());
                details.put("nextAttempt", next.dispatchedAttempt());
                details.put("nextAttemptAt", nextAt.toEpochMilli());
                extra = ledger.dispatch(job, decision.delay());
            }
            case succeeded -> {
                job.succeed(next.attempt(), at);
                extra = attach(job, event, now).invoke(output -> attached[0] = output);
                details.put("outputBytes", event.output().bytes());
            }
            case failed -> {
                job.fail(next.attempt(), failure.code().code(), failure.message(), at);
                details.put("errorCode", failure.code().code());
            }
            // a renderer stops the render if it runs, or skips the command if it has not started
            case cancelled -> {
                job.cancel(at);
                extra = ledger.stopRender(job);
            }
        }
        List<String> toDelete = new ArrayList<>();
        Entry entry = new Entry(decision.timelineEvent(), details, at);
        Uni<?> recorded;
        if (!next.status().terminal()) {
            recorded = extra.call(() -> ledger.record(job, List.of(entry)));
        } else {
            // the payload's purge goes on the timeline after the terminal event, as it happens after it
            recorded = extra.chain(() -> purgePayload(job, toDelete))
                    .call(purged -> ledger.record(job, purged ? List.of(entry,
                            new Entry("payload_purged", Map.of(), now)) : List.of(entry)))
                    // the webhooks announcing it, in the same transaction: none can be lost
                    // (an estimate's copy is announced to no one)
                    .call(() -> job.estimate ? Uni.createFrom().voidItem()
                            : webhooks.enqueue(new FinishedJob(job.id, job.projectId, job.status.name(),
                                    job.webhookUrl, JobDetail.of(job, attached[0]))))
                    // a batch's item counts itself in the batch: the last one moves the batch on
                    .call(() -> job.batchId == null ? Uni.createFrom().voidItem() : batches.itemEnded(job));
        }
        return recorded.replaceWith(() -> new Outcome(job, decision, toDelete));
    }

    /**
     * A rendering job is re-driven when its renderer stops reporting for the lease, or at the latest when the render
     * budget (from the attempt's start, {@code startedAt}) and its grace are over, however often it reports.
     */
    private Instant renderingDeadline(RenderJob job, Instant startedAt, Instant now) {
        Instant budget = startedAt.plus(ledger.renderingWindow(job)).plus(config.renderingGrace());
        Instant lease = now.plus(config.renderingLease());
        return lease.isBefore(budget) ? lease : budget;
    }

    private Uni<RenderOutput> attach(RenderJob job, RenderEvent event, Instant now) {
        RenderEvent.Output produced = event.output();
        RenderOutput output = new RenderOutput();
        output.id = Ids.next(Ids.RENDER_OUTPUT);
        output.pdfId = Ids.next(Ids.PDF);
        output.jobId = job.id;
        output.projectId = job.projectId;
        output.attempt = event.attempt();
        output.format = produced.format();
        output.storageKey = produced.storageKey();
        output.fileName = job.fileName + ".pdf";
        output.contentType = produced.contentType();
        output.bytes = produced.bytes();
        output.pageCount = produced.pageCount();
        output.sha256 = produced.sha256();
        output.reportKey = produced.reportKey();
        output.report = reportOf(produced);
        output.previewPages = produced.previewPages();
        output.previewBytes = produced.previewBytes();
        output.diff = produced.diff();
        output.diffImages = produced.diff() == null ? 0 : produced.diff().comparedPages();
        output.state = RenderOutput.AVAILABLE;
        output.createdAt = now;
        if ("transient".equals(job.outputMode)) {
            output.expiresAt = now.plus(config.transientTtl());
        }
        return outputs.persist(output);
    }

    /** The report the event brought, as JSON text (kept as it is, and answered as it is). */
    private String reportOf(RenderEvent.Output produced) {
        if (produced.report() == null) {
            return null;
        }
        try {
            return json.writeValueAsString(produced.report());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report read from JSON is written back as JSON", e);
        }
    }

    /** Forgets what the job was rendered from; whether it had anything to forget. */
    private Uni<Boolean> purgePayload(RenderJob job, List<String> toDelete) {
        if (JobLedger.holdsPasswords(job)) {
            return ledger.forgetPasswords(job).map(forgotten -> purgeInputs(job, toDelete, true));
        }
        return Uni.createFrom().item(purgeInputs(job, toDelete, false));
    }

    private static boolean purgeInputs(RenderJob job, List<String> toDelete, boolean hadPasswords) {
        boolean had = hadPasswords || job.payload != null || job.payloadRef != null || job.htmlRef != null;
        job.payload = null;
        if (job.payloadRef != null) {
            toDelete.add(job.payloadRef);
        }
        if (job.htmlRef != null) {
            toDelete.add(job.htmlRef); // the key stays on the row, as payloadRef does: the object is gone
        }
        return had;
    }

    /** Deletes what the committed transition made obsolete: a purged payload, an output that will never attach. */
    private Uni<Void> afterCommit(Outcome outcome, RenderEvent event) {
        if (outcome == null) {
            return Uni.createFrom().voidItem();
        }
        List<String> keys = new ArrayList<>(outcome.storageKeysToDelete());
        if (event != null && event.output() != null && outcome.decision().effect() != Effect.ATTACH_OUTPUT
                && !event.output().storageKey().equals(outcome.attachedKey())) {
            // a render that will never be attached: a stale attempt, a cancelled job, or a twin of the attached one
            LOG.infof("Discarding the output of %s attempt %d: the job is %s", event.jobId(), event.attempt(),
                    outcome.job().status);
            keys.addAll(StorageKeys.allOf(event.output()));
        }
        if (outcome.decision().leavesMessage()) {
            outboxSignal.wake();
        }
        if (outcome.decision().timelineEvent() != null
                && (outcome.job().status.terminal() || outcome.job().status == JobStatus.rendering)) {
            // a render started or a job ended (a heartbeat records nothing): room for a held command
            dispatchRoom.wake();
        }
        if (outcome.decision().changed() && outcome.job().status.terminal()) {
            metrics.finished(outcome.job());
            webhookSignal.wake();
            if (outcome.job().batchId != null) {
                batchSignal.wake();
            }
        }
        return storage.deleteQuietly(keys);
    }

}
