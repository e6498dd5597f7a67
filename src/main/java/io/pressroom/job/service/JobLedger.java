package io.pressroom.job.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.bundle.BundleStorage;
import io.pressroom.common.Refusal;
import io.pressroom.common.TraceHeaders;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.JobOptions;
import io.pressroom.contract.RenderCommand;
import io.pressroom.contract.RenderControl;
import io.pressroom.contract.Topics;
import io.pressroom.job.repository.JobEvent;
import io.pressroom.job.repository.JobEventRepository;
import io.pressroom.job.repository.OutboxMessage;
import io.pressroom.job.repository.OutboxRepository;
import io.pressroom.job.repository.RenderJob;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Writes what accompanies a job's state change inside the caller's transaction: its timeline event and, when the
 * job must be (re)rendered, the render command as an outbox row. Never publishes anything itself.
 */
@ApplicationScoped
public class JobLedger {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JobEventRepository events;
    private final OutboxRepository outbox;
    private final ObjectMapper json;
    private final PressroomConfig.Jobs config;
    private final Duration storageRetry;

    public JobLedger(JobEventRepository events, OutboxRepository outbox, ObjectMapper json, PressroomConfig config) {
        this.events = events;
        this.outbox = outbox;
        this.json = json;
        this.config = config.jobs();
        this.storageRetry = config.storage().retryFor();
    }

    /**
     * Appends a timeline event; at commit, the insert's trigger (migration V7) tells every API pod's
     * {@link JobWatcher} that the job changed.
     */
    public Uni<JobEvent> record(RenderJob job, String type, Map<String, Object> details, Instant at) {
        return events.persist(JobEvent.of(job.id, type, job.attempt, details, at));
    }

    /** A timeline event to append with others ({@link #record(RenderJob, List)}). */
    public record Entry(String type, Map<String, Object> details, Instant at) {
    }

    /**
     * Appends timeline events in this order, in one statement where there are several (a job's {@code created} and
     * {@code queued}, its end and {@code payload_purged}): one round trip to the database instead of one each. The
     * session is flushed first, as an insert of an event would: the job's row must be written before its events.
     */
    public Uni<Void> record(RenderJob job, List<Entry> entries) {
        if (entries.size() == 1) {
            Entry only = entries.get(0);
            return record(job, only.type(), only.details(), only.at()).replaceWithVoid();
        }
        // the details go as text: a parameter the database takes for jsonb, the client would send as a JSON string
        StringBuilder sql = new StringBuilder("INSERT INTO job_events (job_id, type, attempt, details, at) VALUES ");
        for (int i = 0; i < entries.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:job, :type").append(i).append(", :attempt, CAST(CAST(:details")
                    .append(i).append(" AS text) AS jsonb), :at").append(i).append(')');
        }
        return Panache.getSession().chain(session -> session.flush().chain(() -> {
            var insert = session.createNativeQuery(sql.toString()).setParameter("job", job.id)
                    .setParameter("attempt", job.attempt);
            for (int i = 0; i < entries.size(); i++) {
                Entry entry = entries.get(i);
                insert.setParameter("type" + i, entry.type()).setParameter("details" + i, jsonOf(entry.details()))
                        .setParameter("at" + i, entry.at());
            }
            return insert.executeUpdate();
        })).replaceWithVoid();
    }

    private String jsonOf(Map<String, Object> details) {
        try {
            return json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a timeline event's details are written as JSON", e);
        }
    }

    /**
     * Queues the command for {@code job.dispatchedAttempt}, published by the relay once {@code delay} passed. A
     * command larger than {@code pressroom.jobs.max-command-bytes} is refused ({@link Refusal.TooLarge}, failing the
     * caller's transaction): Kafka would never take it, and it would only be set aside by the relay.
     */
    public Uni<OutboxMessage> dispatch(RenderJob job, Duration delay) {
        RenderCommand command = command(job);
        int bytes = sizeOf(command);
        if (bytes > config.maxCommandBytes()) {
            return Uni.createFrom().failure(new Refusal.TooLarge("the job's render command would be " + bytes
                    + " bytes, more than the limit of " + config.maxCommandBytes()
                    + "; shorten options such as headerTemplate and footerTemplate"));
        }
        OutboxMessage message = new OutboxMessage();
        message.topic = Topics.commands(job.queue);
        message.messageKey = job.id;
        // a template preview is never held back: it has a queue, a pool and pages of its own
        message.projectId = Topics.PREVIEW_QUEUE.equals(job.queue) ? null : job.projectId;
        message.payload = json.convertValue(command, MAP);
        // the trace of whatever dispatches the job (the client's POST, a retry after a failed attempt) goes on
        // through the relay, Kafka and the renderer
        message.headers = TraceHeaders.current();
        message.createdAt = Instant.now();
        message.availableAt = message.createdAt.plus(delay);
        return outbox.persist(message);
    }

    private int sizeOf(RenderCommand command) {
        try {
            return json.writeValueAsBytes(command).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a render command is not serializable", e);
        }
    }

    /** Whether the job's stored options still hold a password ({@code options.protect}). */
    static boolean holdsPasswords(RenderJob job) {
        return job.options != null && job.options.get("protect") instanceof Map<?, ?> protect
                && (protect.containsKey("userPassword") || protect.containsKey("ownerPassword"));
    }

    /**
     * Forgets the passwords of a job that ended, as its payload is purged: from its options and from its commands
     * still in the outbox. The renderer that needed them is done; the permissions stay.
     */
    Uni<Void> forgetPasswords(RenderJob job) {
        Map<String, Object> options = new LinkedHashMap<>(job.options);
        Map<String, Object> protect = new LinkedHashMap<>(json.convertValue(options.get("protect"), MAP));
        protect.remove("userPassword");
        protect.remove("ownerPassword");
        options.put("protect", protect);
        job.options = options;
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                UPDATE outbox SET payload = payload #- '{options,protect,userPassword}' #- '{options,protect,ownerPassword}'
                WHERE message_key = ?1 AND payload #> '{options,protect}' IS NOT NULL""")
                .setParameter(1, job.id).executeUpdate()).replaceWithVoid();
    }

    /** Tells every renderer to stop the job's render in progress (it may run on any of them). */
    public Uni<OutboxMessage> stopRender(RenderJob job) {
        OutboxMessage message = new OutboxMessage();
        message.topic = Topics.CONTROL;
        message.messageKey = job.id;
        message.payload = json.convertValue(RenderControl.cancel(job.id, job.dispatchedAttempt), MAP);
        message.headers = TraceHeaders.current();
        message.createdAt = Instant.now();
        message.availableAt = message.createdAt;
        return outbox.persist(message);
    }

    /** The job's render budget: its own {@code renderTimeoutMs}, or {@code pressroom.jobs.default-render-timeout}. */
    Duration renderTimeout(RenderJob job) {
        return Duration.ofMillis(options(job).renderTimeoutMs());
    }

    /**
     * How long a renderer may take with the job's attempt before it counts as lost: its render budget, and the
     * time it may spend waiting for object storage.
     */
    Duration renderingWindow(RenderJob job) {
        return renderTimeout(job).plus(storageRetry);
    }

    /** The job's options with every default the renderer needs filled in. */
    private JobOptions options(RenderJob job) {
        JobOptions options = job.options == null ? JobOptions.none() : json.convertValue(job.options, JobOptions.class);
        return options.renderTimeoutMs() != null ? options
                : options.withRenderTimeoutMs(config.defaultRenderTimeout().toMillis());
    }

    RenderCommand command(RenderJob job) {
        String prefix = job.deployVersionId == null ? null
                : BundleStorage.prefix(job.projectId, job.deployId, job.deployVersionId);
        return new RenderCommand(RenderCommand.TYPE, RenderCommand.SCHEMA_VERSION, job.id, job.projectId,
                job.dispatchedAttempt, prefix, job.deployVersionId, job.inlineHtml, job.htmlRef, job.payload, job.payloadRef,
                options(job), List.of(job.formats), job.fileName, job.requestedAt.toEpochMilli(),
                storageRetry.toMillis(), job.test, baseline(job),
                Topics.PREVIEW_QUEUE.equals(job.queue) ? 1 : null);
    }

    private static RenderCommand.Baseline baseline(RenderJob job) {
        if (job.baselineKey != null) {
            return new RenderCommand.Baseline(job.baselineJobId, job.baselineKey, null, null);
        }
        if (job.baselineVersionId != null) {
            return new RenderCommand.Baseline(null, null, job.baselineVersionId,
                    BundleStorage.prefix(job.projectId, job.deployId, job.baselineVersionId));
        }
        return null;
    }
}
