package io.pressroom.job.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pressroom.common.ApiProblem;
import io.pressroom.common.Ids;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.RenderEvent;
import io.pressroom.job.repository.JobRepository;
import io.pressroom.job.repository.OutputRepository;
import io.pressroom.job.repository.RenderJob;
import io.pressroom.job.repository.RenderOutput;
import io.pressroom.job.service.JobStateMachine.Decision;
import io.pressroom.job.service.JobStateMachine.Effect;
import io.pressroom.job.service.JobStateMachine.Signal;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.webhook.service.WebhookOutbox;
import io.pressroom.webhook.service.WebhookSignal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Applies signals to jobs: each in one transaction that locks the job row, asks {@link JobStateMachine} what to
 * do, and writes the job, its timeline event, its output, any outbox row and, when it ends, its webhook deliveries
 * together. Storage clean-up (a purged payload, a discarded output) happens after the commit.
 */
@ApplicationScoped
public class JobTransitions {

    private static final Logger LOG = Logger.getLogger(JobTransitions.class);

    /** What a transition left to do outside the transaction. */
    private record Outcome(RenderJob job, Decision decision, List<String> storageKeysToDelete) {
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

    public JobTransitions(JobRepository jobs, OutputRepository outputs, JobLedger ledger, ObjectStorage storage,
            OutboxSignal outboxSignal, PressroomConfig config, JobMetrics metrics, WebhookOutbox webhooks,
            WebhookSignal webhookSignal) {
        this.jobs = jobs;
        this.webhooks = webhooks;
        this.webhookSignal = webhookSignal;
        this.metrics = metrics;
        this.outputs = outputs;
        this.ledger = ledger;
        this.storage = storage;
        this.outboxSignal = outboxSignal;
        this.config = config.jobs();
        this.machine = new JobStateMachine(config.jobs().retryBackoff());
    }

    /** Applies a renderer's event. Unknown jobs, stale attempts and repeats change nothing. */
    public Uni<Void> apply(RenderEvent event) {
        Signal signal = switch (event.type()) {
            case RenderEvent.RENDERING -> new JobStateMachine.Rendering(event.attempt());
            case RenderEvent.SUCCEEDED -> new JobStateMachine.Succeeded(event.attempt());
            case RenderEvent.FAILED -> new JobStateMachine.Failed(event.attempt(), event.errorCode(),
                    event.errorMessage(), Boolean.TRUE.equals(event.retryable()));
            default -> null;
        };
        if (signal == null) {
            LOG.warnf("Ignoring render event of unknown type %s for %s", event.type(), event.jobId());
            return Uni.createFrom().voidItem();
        }
        return transition(event.jobId(), signal, event).replaceWithVoid();
    }

    /** Cancels a job: 409 when it is already terminal. */
    public Uni<RenderJob> cancel(String projectId, String jobId) {
        return transition(jobId, new JobStateMachine.Cancel(), null, projectId)
                .map(outcome -> {
                    if (outcome == null) {
                        throw ApiProblem.notFound("render job " + jobId);
                    }
                    if (!outcome.decision().changed()) {
                        throw ApiProblem.conflict("job_not_cancellable",
                                "the job is " + outcome.job().status + " and can no longer be cancelled");
                    }
                    return outcome.job();
                });
    }

    /** The reaper's signal for a job past its deadline; re-checked under the row lock. */
    public Uni<Void> overdue(String jobId) {
        return transition(jobId, new JobStateMachine.Overdue(), null).replaceWithVoid();
    }

    private Uni<Outcome> transition(String jobId, Signal signal, RenderEvent event) {
        return transition(jobId, signal, event, null);
    }

    private Uni<Outcome> transition(String jobId, Signal signal, RenderEvent event, String projectId) {
        return Panache.withTransaction(() -> jobs.lock(jobId).chain(job -> {
            if (job == null || (projectId != null && !projectId.equals(job.projectId))) {
                return Uni.createFrom().nullItem();
            }
            if (signal instanceof JobStateMachine.Overdue
                    && (job.deadlineAt == null || job.deadlineAt.isAfter(Instant.now()))) {
                return Uni.createFrom().item(new Outcome(job, Decision.none(job.state()), List.of()));
            }
            Decision decision = machine.apply(job.state(), signal);
            return record(job, decision, signal, event);
        })).call(outcome -> afterCommit(outcome, event));
    }

    private Uni<Outcome> record(RenderJob job, Decision decision, Signal signal, RenderEvent event) {
        Instant now = Instant.now();
        Instant at = event == null ? now : Instant.ofEpochMilli(event.at());
        if (decision.effect() == Effect.NONE) {
            return Uni.createFrom().item(new Outcome(job, decision, List.of()));
        }
        if (decision.effect() == Effect.REDISPATCH) {
            LOG.infof("Job %s is overdue in %s: sending attempt %d again", job.id, job.status, job.dispatchedAttempt);
            job.deadlineAt = now.plus(config.queuedDeadline());
            job.updatedAt = now;
            return ledger.dispatch(job, Duration.ZERO).replaceWith(new Outcome(job, decision, List.of()));
        }
        var next = decision.next();
        job.status = next.status();
        job.attempt = next.attempt();
        job.dispatchedAttempt = next.dispatchedAttempt();
        job.updatedAt = now;
        Map<String, Object> details = new HashMap<>();
        Uni<?> extra = Uni.createFrom().voidItem();
        AtomicReference<RenderOutput> attached = new AtomicReference<>();
        switch (next.status()) {
            case rendering -> {
                if (job.startedAt == null) {
                    job.startedAt = at;
                }
                job.deadlineAt = now.plus(renderBudget(job)).plus(config.renderingGrace());
            }
            case retry_scheduled -> {
                JobStateMachine.Failed failed = (JobStateMachine.Failed) signal;
                job.errorCode = failed.code();
                job.errorMessage = failed.message();
                job.nextAttemptAt = now.plus(decision.delay());
                job.deadlineAt = job.nextAttemptAt.plus(config.queuedDeadline());
                details.put("errorCode", failed.code());
                details.put("nextAttempt", next.dispatchedAttempt());
                details.put("nextAttemptAt", job.nextAttemptAt.toEpochMilli());
                extra = ledger.dispatch(job, decision.delay());
            }
            case succeeded -> {
                job.errorCode = null;
                job.errorMessage = null;
                extra = attach(job, event, now).invoke(attached::set);
                details.put("outputBytes", event.output().bytes());
            }
            // a renderer stops the render if it runs, or skips the command if it has not started
            case cancelled -> extra = ledger.stopRender(job);
            case failed -> {
                JobStateMachine.Failed failed = (JobStateMachine.Failed) signal;
                job.errorCode = failed.code();
                job.errorMessage = failed.message();
                details.put("errorCode", failed.code());
            }
            default -> {
            }
        }
        List<String> toDelete = new java.util.ArrayList<>();
        Uni<?> recorded = extra.call(() -> ledger.record(job, decision.timelineEvent(), details, at));
        if (next.status().terminal()) {
            job.finishedAt = at;
            job.deadlineAt = null;
            job.nextAttemptAt = null;
            // after the terminal event on the timeline, as it happens after it
            recorded = recorded.call(() -> purgePayload(job, now, toDelete))
                    // the webhooks announcing it, in the same transaction: none can be lost
                    .call(() -> webhooks.enqueue(job, attached.get()));
        }
        return recorded.replaceWith(() -> new Outcome(job, decision, toDelete));
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
        output.previewPages = produced.previewPages();
        output.previewBytes = produced.previewBytes();
        output.state = RenderOutput.AVAILABLE;
        output.createdAt = now;
        if ("transient".equals(job.outputMode)) {
            output.expiresAt = now.plus(config.transientTtl());
        }
        return outputs.persist(output);
    }

    private Uni<?> purgePayload(RenderJob job, Instant now, List<String> toDelete) {
        boolean had = job.payload != null || job.payloadRef != null;
        job.payload = null;
        if (job.payloadRef != null) {
            toDelete.add(job.payloadRef);
        }
        return had ? ledger.record(job, "payload_purged", Map.of(), now) : Uni.createFrom().voidItem();
    }

    /** Deletes what the committed transition made obsolete: a purged payload, an output that will never attach. */
    private Uni<Void> afterCommit(Outcome outcome, RenderEvent event) {
        if (outcome == null) {
            return Uni.createFrom().voidItem();
        }
        List<String> keys = new java.util.ArrayList<>(outcome.storageKeysToDelete());
        if (event != null && event.output() != null && outcome.decision().effect() != Effect.ATTACH_OUTPUT
                && !attachedFrom(outcome.job(), event)) {
            LOG.infof("Discarding the output of %s attempt %d: the job is %s", event.jobId(), event.attempt(),
                    outcome.job().status);
            keys.add(event.output().storageKey());
        }
        if (outcome.decision().effect() != Effect.NONE) {
            outboxSignal.wake();
        }
        if (outcome.decision().changed() && outcome.job().status.terminal()) {
            metrics.finished(outcome.job());
            webhookSignal.wake();
        }
        return storage.deleteQuietly(keys);
    }

    /** A repeated succeeded event of the attempt whose output is attached names that same output: keep it. */
    private static boolean attachedFrom(RenderJob job, RenderEvent event) {
        return job.status == JobStatus.succeeded && job.attempt == event.attempt();
    }

    private Duration renderBudget(RenderJob job) {
        Object timeout = job.options == null ? null : job.options.get("renderTimeoutMs");
        return timeout instanceof Number n ? Duration.ofMillis(n.longValue()) : config.defaultRenderTimeout();
    }
}
