package io.pressroom.job.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.pressroom.common.Hashes;
import io.pressroom.common.Ids;
import io.pressroom.common.Refusal;
import io.pressroom.common.RequestDeadline;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.JobOptions;
import io.pressroom.contract.StorageKeys;
import io.pressroom.contract.Topics;
import io.pressroom.deploy.service.DeployService;
import io.pressroom.job.repository.JobEvent;
import io.pressroom.job.repository.JobEventRepository;
import io.pressroom.job.repository.JobFilter;
import io.pressroom.job.repository.JobRepository;
import io.pressroom.job.repository.JobStatus;
import io.pressroom.job.repository.OutputRepository;
import io.pressroom.job.repository.RenderJob;
import io.pressroom.job.repository.RenderOutput;
import io.pressroom.job.service.JobViews.Accepted;
import io.pressroom.job.service.JobViews.JobDetail;
import io.pressroom.job.service.JobViews.JobView;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.template.InlineTemplates;
import io.pressroom.template.TemplateEngine.TemplateException;
import io.pressroom.webhook.service.WebhookEgress;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Creating and reading render jobs. */
@ApplicationScoped
public class JobService {

    private static final Logger LOG = Logger.getLogger(JobService.class);

    /** The answer to a create: what to send back, and whether it replays an earlier request. */
    public record Created(int status, Map<String, Object> body, String jobId) {
    }

    /** The most a job's {@code meta} may take, serialized: a client's reference data, not a second payload. */
    public static final int MAX_META_BYTES = 4096;
    /** A full queue drains at the renderers' pace, unknown here: a hint that spaces retries without delaying them. */
    private static final long QUEUE_FULL_RETRY_AFTER_SECONDS = 10;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    /** Canonical JSON for request fingerprints: sorted keys, so field order does not matter. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).build();

    private final JobRepository jobs;
    private final OutputRepository outputs;
    private final JobEventRepository events;
    private final DeployService deploys;
    private final JobTransitions transitions;
    private final IdempotencyKeys idempotency;
    private final ObjectStorage storage;
    private final OutboxSignal outboxSignal;
    private final InlineTemplates templates;
    private final ObjectMapper json;
    private final PressroomConfig.Jobs config;
    private final RequestDeadline deadline;
    private final JobMetrics metrics;
    private final WebhookEgress webhookEgress;
    private final JobUsage usage;
    private final JobRetention retention;

    public JobService(JobRepository jobs, OutputRepository outputs, JobEventRepository events, DeployService deploys,
            JobTransitions transitions, IdempotencyKeys idempotency, ObjectStorage storage, OutboxSignal outboxSignal,
            InlineTemplates templates, ObjectMapper json, PressroomConfig config, JobMetrics metrics,
            RequestDeadline deadline, WebhookEgress webhookEgress, JobUsage usage, JobRetention retention) {
        this.jobs = jobs;
        this.retention = retention;
        this.usage = usage;
        this.webhookEgress = webhookEgress;
        this.metrics = metrics;
        this.outputs = outputs;
        this.events = events;
        this.deploys = deploys;
        this.transitions = transitions;
        this.idempotency = idempotency;
        this.storage = storage;
        this.outboxSignal = outboxSignal;
        this.templates = templates;
        this.json = json;
        this.config = config.jobs();
        this.deadline = deadline;
    }

    /**
     * Validates the request, resolves the template version, stores a large payload or inline html in object storage
     * and, in one transaction, claims the idempotency key, inserts the job, its timeline and the outbox row of its
     * first render command. A command larger than {@code pressroom.jobs.max-command-bytes} is refused (413) and
     * rolls all of it back: Kafka would never take it.
     */
    public Uni<Created> create(String projectId, CreateJob request, String idempotencyKey) {
        return create(projectId, request, idempotencyKey, Kind.JOB, null);
    }

    /**
     * What a job is for: a client's job, or the hidden test copy an estimate or a template preview renders. A hidden
     * copy is a test job, transient, without webhook or idempotency, in no list or usage figure, and deleted with
     * everything it stored as soon as its answer is read ({@link #discardCopy}).
     */
    enum Kind {
        JOB,
        ESTIMATE,
        PREVIEW
    }

    /**
     * The job of the release gate ({@code POST /v1/deploys/{id}/versions?verify=true}): a test job of the new
     * {@code version} with its sample payload, compared with the {@code baselineVersionId} rendered with the same
     * payload. Created like any job, but without webhook or idempotency.
     */
    public Uni<Created> createVerification(String projectId, String deployId, String versionId,
            Map<String, Object> samplePayload, String baselineVersionId) {
        CreateJob request = new CreateJob(deployId, versionId, null, null, samplePayload, null, null, null, null,
                null, null, null, true, null, null);
        return create(projectId, request, null, Kind.JOB, null, job -> job.baselineVersionId = baselineVersionId);
    }

    /** The answer of an estimate: the pages of its test copy, and their cost units (one a page). */
    public record Estimate(int pages, int costUnits) {
    }

    /**
     * Creates the hidden test copy an estimate renders: validated and sent like the job {@code request} describes,
     * but a test job, transient, PDF only, without webhook or idempotency, in no list or usage figure.
     */
    public Uni<String> createEstimateCopy(String projectId, CreateJob request) {
        return create(projectId, request, null, Kind.ESTIMATE, null).map(Created::jobId);
    }

    /**
     * Creates the hidden test copy a template preview renders, on the preview queue ({@link Topics#PREVIEW_QUEUE})
     * that renderers read on pages of their own; its formats are the request's (png for the page image).
     */
    Uni<String> createPreviewCopy(String projectId, CreateJob request) {
        return create(projectId, request, null, Kind.PREVIEW, null).map(Created::jobId);
    }

    /**
     * Deletes a hidden test copy and every object it stored: its row (its timeline and outputs go with it) first, so
     * that nothing refers to the objects any more, then the objects. An object a render stores after this (a copy
     * cancelled while rendering) or one that cannot be deleted now is left to the orphan sweeper.
     */
    public Uni<Void> discardCopy(String projectId, String copyId) {
        return deadline.database(retention.deleteCopy(projectId, copyId))
                .chain(() -> ObjectStorage.blocking(() -> {
                    List<String> keys = new ArrayList<>(List.of(StorageKeys.payload(copyId), StorageKeys.html(copyId)));
                    String prefix = StorageKeys.jobPrefix(projectId, copyId);
                    ObjectStorage.Listing listing;
                    String after = null;
                    do {
                        listing = storage.list(prefix, after, ObjectStorage.PAGE);
                        listing.objects().forEach(object -> keys.add(object.key()));
                        after = listing.objects().isEmpty() ? null : listing.objects().get(listing.objects().size() - 1).key();
                    } while (listing.more() && after != null);
                    storage.deleteAll(keys);
                    return (Void) null;
                }))
                .onFailure().invoke(failure -> LOG.warnf("Could not discard the hidden copy %s at once (the orphan "
                        + "sweeper will): %s", copyId, failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    /**
     * The estimate once its copy {@code ended}; a copy that did not end in time is cancelled and the estimate is
     * refused (503 estimate_timeout), one that failed is refused with its error (400 estimate_failed).
     */
    public Uni<Estimate> estimateOf(String projectId, String copyId, boolean ended) {
        if (!ended) {
            return transitions.cancel(projectId, copyId).onFailure().recoverWithNull()
                    .chain(() -> Uni.createFrom().failure(new Refusal.Unavailable("estimate_timeout",
                            "the render did not end within " + config.syncWaitMax().toSeconds() + " s")));
        }
        return deadline.database(Panache.withSession(() -> jobs.findById(copyId).chain(job -> {
            if (job == null) {
                throw new Refusal.Unavailable("estimate_timeout", "the render's copy is gone");
            }
            if (job.status != JobStatus.succeeded) {
                throw new Refusal.Invalid("estimate_failed", "the render " + job.status.name()
                        + (job.errorCode == null ? "" : ": " + job.errorCode + ": " + job.errorMessage));
            }
            return outputs.findPdf(copyId).map(pdf -> {
                int pages = pdf == null || pdf.pageCount == null ? 0 : pdf.pageCount;
                return new Estimate(pages, pages);
            });
        })));
    }

    /**
     * A new job with the inputs of a failed or cancelled one (its template and version, options, businessKey, meta,
     * webhook), linked to it by {@code retryOf}; created like any job, Idempotency-Key included. The payload is the
     * request's: the original's is purged when a job ends.
     */
    public Uni<Created> retry(String projectId, String jobId, RetryJob request, String idempotencyKey) {
        return deadline.database(Panache.withSession(() -> jobs.findInProject(projectId, jobId)))
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("render job " + jobId))
                .chain(original -> create(projectId, retryRequest(original, request), idempotencyKey, Kind.JOB,
                        original.id));
    }

    private CreateJob retryRequest(RenderJob original, RetryJob request) {
        if (original.status != JobStatus.failed && original.status != JobStatus.cancelled) {
            throw new Refusal.Conflict("job_not_retryable", "the job is " + original.status
                    + "; only a failed or cancelled job can be retried");
        }
        if (original.htmlRef != null) {
            throw new Refusal.Conflict("job_not_retryable", "the job's inline template was kept in object storage "
                    + "for its size and deleted when the job ended; create a new job with it");
        }
        Map<String, Object> payload = request != null && request.payload() != null ? request.payload()
                : original.payload;
        if (payload == null) {
            throw new Refusal.Invalid("payload_required", "payload: the job's payload was purged when it ended; "
                    + "send it again");
        }
        return new CreateJob(original.deployId, original.deployVersionId, original.inlineHtml, original.businessKey,
                payload, original.outputMode, List.of(original.formats), original.queue, original.webhookUrl,
                json.convertValue(original.options, JobOptions.class), original.sourceType, original.sourceId,
                original.test, original.meta, original.baselineJobId);
    }

    private Uni<Created> create(String projectId, CreateJob request, String idempotencyKey, Kind kind,
            String retryOf) {
        return create(projectId, request, idempotencyKey, kind, retryOf, job -> {
        });
    }

    private Uni<Created> create(String projectId, CreateJob request, String idempotencyKey, Kind kind,
            String retryOf, java.util.function.Consumer<RenderJob> finish) {
        validate(projectId, request);
        byte[] payload = serialize(request.payload() == null ? Map.of() : request.payload());
        if (payload.length > config.maxPayloadBytes()) {
            return Uni.createFrom().failure(new Refusal.TooLarge("payload: is larger than "
                    + config.maxPayloadBytes() + " bytes"));
        }
        String fingerprint = idempotencyKey == null ? null : Hashes.sha256Hex(canonical(request));
        String jobId = Ids.next(Ids.RENDER_JOB);
        List<ClaimCheck> claimChecks = new ArrayList<>();
        if (payload.length > config.inlinePayloadMaxBytes()) {
            claimChecks.add(new ClaimCheck(StorageKeys.payload(jobId), payload, "application/json"));
        }
        byte[] html = request.html() == null ? null : request.html().getBytes(StandardCharsets.UTF_8);
        if (html != null && html.length > config.inlineHtmlMaxBytes()) {
            claimChecks.add(new ClaimCheck(StorageKeys.html(jobId), html, "text/html; charset=utf-8"));
        }
        String payloadRef = ClaimCheck.keyOf(claimChecks, StorageKeys.payload(jobId));
        String htmlRef = ClaimCheck.keyOf(claimChecks, StorageKeys.html(jobId));
        List<String> storedKeys = claimChecks.stream().map(ClaimCheck::key).toList();

        // where the webhook may go: checked (a name resolved) before anything is written
        Uni<Void> webhookChecked = request.webhookUrl() == null || kind != Kind.JOB ? Uni.createFrom().voidItem()
                : webhookEgress.check("webhookUrl", request.webhookUrl());
        Uni<RenderJob> prepared = request.html() != null
                ? Uni.createFrom().item(() -> newJob(projectId, jobId, request, null, null, payloadRef, htmlRef,
                        kind)).invoke(job -> job.retryOf = retryOf)
                : deploys.resolve(projectId, request.deployId(),
                        request.deployVersionId() == null ? DeployService.LATEST : request.deployVersionId())
                        // the resolved version's contract: a payload that breaks it is refused before anything is stored
                        .invoke(found -> deploys.checkPayload(found.version(), new String(payload, StandardCharsets.UTF_8)))
                        .map(found -> newJob(projectId, jobId, request, found.deploy().id, found.version().id,
                                payloadRef, htmlRef, kind))
                        .invoke(job -> job.retryOf = retryOf);
        return webhookChecked.chain(() -> prepared).invoke(finish)
                .call(job -> request.baselineJobId() == null ? Uni.createFrom().voidItem()
                        : baseline(projectId, request.baselineJobId()).invoke(pdf -> {
                            job.baselineJobId = pdf.jobId;
                            job.baselineKey = pdf.storageKey;
                        }))
                .chain(job -> {
                    Uni<Void> stored = claimChecks.isEmpty() ? Uni.createFrom().voidItem()
                            : ObjectStorage.blocking(() -> {
                                for (ClaimCheck check : claimChecks) {
                                    storage.put(check.key(), check.content(), check.contentType());
                                }
                                return null;
                            });
                    return stored.chain(() -> deadline.database(persist(job, fingerprint, idempotencyKey)))
                            .invoke(created -> {
                                if (created.jobId().equals(jobId)) {
                                    metrics.created(job); // not for an idempotent replay
                                }
                            })
                            .call(created -> !created.jobId().equals(jobId) ? discard(storedKeys)
                                    : Uni.createFrom().voidItem())
                            .onFailure().call(() -> discard(storedKeys));
                })
                .invoke(created -> outboxSignal.wake());
    }

    /**
     * The PDF of the job {@code baselineJobId} names: 404 {@code baseline_not_found} when the project has no such job
     * (another project's job is no different), 409 {@code baseline_not_succeeded} when it did not succeed, 409
     * {@code baseline_output_gone} when its PDF was deleted or expired.
     */
    private Uni<RenderOutput> baseline(String projectId, String baselineJobId) {
        return deadline.database(Panache.withSession(() -> jobs.findInProject(projectId, baselineJobId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("baseline_not_found",
                        "baselineJobId: render job " + baselineJobId + " does not exist"))
                .chain(baseline -> {
                    if (baseline.status != JobStatus.succeeded) {
                        throw new Refusal.Conflict("baseline_not_succeeded", "baselineJobId: the job is "
                                + baseline.status + "; only a succeeded job can be a baseline");
                    }
                    return outputs.findPdf(baseline.id);
                })
                .map(output -> {
                    if (output == null || !RenderOutput.AVAILABLE.equals(output.state)) {
                        throw new Refusal.Conflict("baseline_output_gone", "baselineJobId: the job's PDF was "
                                + (output == null ? "not kept" : output.state) + "; a baseline needs its PDF");
                    }
                    return output;
                })));
    }

    /** A part of the request that travels by reference: stored under {@code key} before the job is created. */
    private record ClaimCheck(String key, byte[] content, String contentType) {
        static String keyOf(List<ClaimCheck> checks, String key) {
            return checks.stream().anyMatch(check -> check.key().equals(key)) ? key : null;
        }
    }

    private Uni<Created> persist(RenderJob job, String fingerprint, String idempotencyKey) {
        return Panache.withTransaction(() -> {
            Uni<Created> earlier = idempotencyKey == null ? Uni.createFrom().nullItem()
                    : idempotency.claim(job.projectId, idempotencyKey, fingerprint);
            return earlier.chain(replay -> {
                if (replay != null) {
                    return Uni.createFrom().item(replay); // a replay is no new job: the quota does not apply
                }
                return withinQuota(job.projectId)
                        .chain(() -> job.test ? Uni.createFrom().voidItem()
                                : usage.checkMonthlyQuota(job.projectId, job.requestedAt))
                        .chain(() -> transitions.create(job)).chain(saved -> {
                            Map<String, Object> body = json.convertValue(new Accepted(true, saved.queue,
                                    JobView.accepted(saved)), MAP);
                            Uni<Void> remembered = idempotencyKey == null ? Uni.createFrom().voidItem()
                                    : idempotency.remember(saved.projectId, idempotencyKey, saved.id, 202, body);
                            return remembered.replaceWith(new Created(202, body, saved.id));
                        });
            });
        });
    }

    /**
     * Refuses a new job while the project has {@code max-unfinished-per-project} jobs unfinished. Counted in the
     * create's transaction without a lock: creates of one project racing each other may pass the cap by how many
     * run at once, which the per-project request rate bounds.
     */
    private Uni<Void> withinQuota(String projectId) {
        return withinQuota(projectId, 1);
    }

    /** As {@link #withinQuota(String)} for {@code adding} new jobs at once (a batch): all of them fit, or none. */
    Uni<Void> withinQuota(String projectId, int adding) {
        int max = config.maxUnfinishedPerProject();
        if (max <= 0) {
            return Uni.createFrom().voidItem();
        }
        return jobs.countUnfinished(projectId).invoke(unfinished -> {
            if (unfinished + adding > max) {
                metrics.refused("queue_full");
                String more = adding == 1 ? "" : "; " + adding + " more would pass";
                throw new Refusal.Busy("queue_full", "this project has " + unfinished + " jobs queued or rendering"
                        + more + ", the most it may have (" + max + "); retry after " + QUEUE_FULL_RETRY_AFTER_SECONDS
                        + " s", QUEUE_FULL_RETRY_AFTER_SECONDS);
            }
        }).replaceWithVoid();
    }

    private Uni<Void> discard(List<String> keys) {
        return keys.isEmpty() ? Uni.createFrom().voidItem() : storage.deleteQuietly(keys);
    }

    /** A batch item's job, not yet stored: {@code request} holds the item's payload, businessKey and meta. */
    RenderJob batchItemJob(String projectId, String jobId, CreateJob request, String deployId, String versionId,
            String payloadRef) {
        return newJob(projectId, jobId, request, deployId, versionId, payloadRef, null, Kind.JOB);
    }

    private RenderJob newJob(String projectId, String jobId, CreateJob request, String deployId, String versionId,
            String payloadRef, String htmlRef, Kind kind) {
        RenderJob job = new RenderJob();
        job.id = jobId;
        job.projectId = projectId;
        job.deployId = deployId;
        job.deployVersionId = versionId;
        job.inlineHtml = htmlRef == null ? request.html() : null;
        job.htmlRef = htmlRef;
        job.businessKey = request.businessKey();
        job.queue = request.queue() == null ? config.queues().get(0) : request.queue();
        job.outputMode = request.outputMode() == null ? "managed" : request.outputMode();
        job.formats = request.formats() == null ? new String[] { "pdf" } : request.formats().toArray(String[]::new);
        job.options = json.convertValue(request.options() == null ? JobOptions.none() : request.options(), MAP);
        job.payload = payloadRef == null ? (request.payload() == null ? Map.of() : request.payload()) : null;
        job.payloadRef = payloadRef;
        job.webhookUrl = request.webhookUrl();
        job.meta = request.meta();
        job.fileName = FileNames.fromBusinessKey(request.businessKey(), jobId);
        job.sourceType = request.sourceType();
        job.sourceId = request.sourceId();
        job.test = request.isTest();
        if (kind != Kind.JOB) {
            job.estimate = true; // hidden
            job.test = true;
            job.outputMode = "transient";
            job.webhookUrl = null;
            job.meta = null;
        }
        if (kind == Kind.ESTIMATE) {
            job.formats = new String[] { "pdf" };
        }
        if (kind == Kind.PREVIEW) {
            job.queue = Topics.PREVIEW_QUEUE;
        }
        job.requestedAt = Instant.now();
        return job;
    }

    private void validate(String projectId, CreateJob request) {
        if ((request.deployId() == null) == (request.html() == null)) {
            throw new Refusal.Invalid("deployId: give either deployId or html (an inline template), not both");
        }
        if (request.html() != null && request.deployVersionId() != null) {
            throw new Refusal.Invalid("deployVersionId: only applies with deployId");
        }
        if (request.queue() != null && !config.queues().contains(request.queue())) {
            throw new Refusal.Invalid("queue: must be one of " + String.join(", ", config.queues()));
        }
        if (request.formats() != null && request.formats().stream().distinct().count() != request.formats().size()) {
            throw new Refusal.Invalid("formats: lists a format twice");
        }
        if (request.options() != null) {
            validate(request.options());
        }
        if (request.meta() != null && serialize(request.meta()).length > MAX_META_BYTES) {
            throw new Refusal.Invalid("meta: is larger than " + MAX_META_BYTES + " bytes (serialized JSON)");
        }
        if (request.html() != null) {
            try {
                templates.compile(projectId, request.html());
            } catch (TemplateException e) {
                throw new Refusal.Invalid("template_error", "html: " + e.getMessage());
            }
        }
    }

    /** What the options' own annotations cannot say: fields that go only together, or not together. */
    static void validate(JobOptions options) {
        JobOptions.Protect protect = options.protect();
        if (protect == null) {
            return;
        }
        if (options.pdfa() != null) {
            throw new Refusal.Invalid("options.protect: PDF/A forbids encryption; give pdfa or protect, not both");
        }
        if (blank(protect.userPassword()) && blank(protect.ownerPassword())) {
            throw new Refusal.Invalid("options.protect: give userPassword, ownerPassword or both");
        }
        if (protect.permissions() != null && blank(protect.ownerPassword())) {
            throw new Refusal.Invalid("options.protect.ownerPassword: required with permissions");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isEmpty();
    }

    byte[] serialize(Object payload) {
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new Refusal.Invalid("payload: is not serializable JSON");
        }
    }

    static String canonical(Object request) {
        try {
            return new String(CANONICAL.writeValueAsBytes(request), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Uni<JobDetail> find(String projectId, String jobId) {
        return deadline.database(Panache.withSession(() -> jobs.readWithPdf(projectId, jobId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("render job " + jobId))
                .map(found -> JobDetail.of(found.job(), found.pdf()))));
    }

    /** Whether the project has this job. */
    public Uni<Boolean> exists(String projectId, String jobId) {
        return deadline.database(Panache.withSession(() -> jobs.existsInProject(projectId, jobId)));
    }

    /** A page of the project's jobs, newest first; {@code limit + 1} rows tell whether another page exists. */
    public Uni<List<RenderJob>> list(String projectId, JobFilter filter, String beforeId, int limit) {
        return deadline.database(Panache.withSession(() -> jobs.page(filter.toQuery(projectId, beforeId), limit)));
    }

    public Uni<JobDetail> acknowledge(String projectId, String jobId, boolean acknowledged) {
        return deadline.database(Panache.withTransaction(() -> jobs.findInProject(projectId, jobId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("render job " + jobId))
                .invoke(job -> {
                    job.acknowledged = acknowledged;
                    job.updatedAt = Instant.now();
                })
                .chain(job -> outputs.findPdf(job.id).map(output -> JobDetail.of(job, output)))));
    }

    /** The job's timeline, oldest first, after the event with id {@code afterId} when given. */
    public Uni<List<JobEvent>> timeline(String projectId, String jobId, long afterId) {
        return deadline.database(Panache.withSession(() -> jobs.findInProject(projectId, jobId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("render job " + jobId))
                .chain(job -> events.find("jobId = ?1 and id > ?2", Sort.ascending("id"), jobId, afterId).list())));
    }
}
