package io.pressroom.job.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.common.ByteRanges.Asked;
import io.pressroom.common.Hashes;
import io.pressroom.common.Ids;
import io.pressroom.common.Refusal;
import io.pressroom.common.RequestDeadline;
import io.pressroom.common.Transient;
import io.pressroom.common.Violation;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.StorageKeys;
import io.pressroom.deploy.service.DeployService;
import io.pressroom.deploy.service.PayloadContracts;
import io.pressroom.job.repository.BatchOutput;
import io.pressroom.job.repository.BatchOutputRepository;
import io.pressroom.job.repository.BatchRepository;
import io.pressroom.job.repository.JobRepository;
import io.pressroom.job.repository.RenderBatch;
import io.pressroom.job.repository.RenderJob;
import io.pressroom.job.service.BatchViews.BatchAccepted;
import io.pressroom.job.service.BatchViews.BatchDetail;
import io.pressroom.job.service.BatchViews.BatchView;
import io.pressroom.job.service.BatchViews.Counts;
import io.pressroom.job.service.DownloadLinks.Grant;
import io.pressroom.job.service.OutputService.Download;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.webhook.service.WebhookEgress;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Batches: many jobs of one deploy version created at once, all or none, and read, cancelled and downloaded as one.
 * Every item is a normal job (same pipeline, same state machine, listed with {@code ?batchId=}); the batch only
 * counts how they end ({@link BatchLedger}) and assembles their PDFs ({@link BatchAssembly}).
 */
@ApplicationScoped
public class BatchService {

    /** The most items one batch may have. */
    public static final int MAX_ITEMS = 1000;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** The answer to a create, or the replay of an earlier one. */
    public record Created(int status, Map<String, Object> body, String batchId) {
    }

    private final JobService jobService;
    private final JobRepository jobs;
    private final BatchRepository batches;
    private final BatchOutputRepository batchOutputs;
    private final JobTransitions transitions;
    private final BatchLedger ledger;
    private final IdempotencyKeys idempotency;
    private final JobUsage usage;
    private final DeployService deploys;
    private final ObjectStorage storage;
    private final OutboxSignal outboxSignal;
    private final WebhookEgress webhookEgress;
    private final OutputService outputs;
    private final DownloadLinks links;
    private final JobMetrics metrics;
    private final RequestDeadline deadline;
    private final ObjectMapper json;
    private final PressroomConfig config;

    public BatchService(JobService jobService, JobRepository jobs, BatchRepository batches,
            BatchOutputRepository batchOutputs, JobTransitions transitions, BatchLedger ledger,
            IdempotencyKeys idempotency, JobUsage usage, DeployService deploys, ObjectStorage storage,
            OutboxSignal outboxSignal, WebhookEgress webhookEgress, OutputService outputs, DownloadLinks links,
            JobMetrics metrics, RequestDeadline deadline, ObjectMapper json, PressroomConfig config) {
        this.jobService = jobService;
        this.jobs = jobs;
        this.batches = batches;
        this.batchOutputs = batchOutputs;
        this.transitions = transitions;
        this.ledger = ledger;
        this.idempotency = idempotency;
        this.usage = usage;
        this.deploys = deploys;
        this.storage = storage;
        this.outboxSignal = outboxSignal;
        this.webhookEgress = webhookEgress;
        this.outputs = outputs;
        this.links = links;
        this.metrics = metrics;
        this.deadline = deadline;
        this.json = json;
        this.config = config;
    }

    /** A payload stored in object storage before the create's transaction (too large to travel inline). */
    private record ClaimCheck(String key, byte[] content) {
    }

    /**
     * Validates the request and every item (400 naming the item, {@code /items/3/payload/…} for a schema
     * violation), resolves the version once, stores large payloads, then in ONE transaction claims the
     * idempotency key, checks the project's unfinished-job cap and monthly quota for all the items at once, and
     * inserts the batch and every item's job with its first render command. Any refusal leaves nothing behind.
     */
    public Uni<Created> create(String projectId, CreateBatch request, String idempotencyKey) {
        validate(request);
        String fingerprint = idempotencyKey == null ? null
                : Hashes.sha256Hex("batch:" + JobService.canonical(request));
        String batchId = Ids.next(Ids.RENDER_BATCH);
        Uni<Void> webhookChecked = request.webhookUrl() == null ? Uni.createFrom().voidItem()
                : webhookEgress.check("webhookUrl", request.webhookUrl());
        List<ClaimCheck> claimChecks = new ArrayList<>();
        return webhookChecked
                .chain(() -> deploys.resolve(projectId, request.deployId(),
                        request.deployVersionId() == null ? DeployService.LATEST : request.deployVersionId()))
                .map(found -> {
                    RenderBatch batch = newBatch(projectId, batchId, request, found.deploy().id, found.version().id);
                    List<RenderJob> items = items(projectId, batch, request, found, claimChecks);
                    return new Prepared(batch, items);
                })
                .chain(prepared -> store(claimChecks)
                        .chain(() -> Transient.bounded(persist(prepared, idempotencyKey, fingerprint),
                                config.batches().createTimeout(), "the database"))
                        .call(created -> created.batchId().equals(batchId) ? Uni.createFrom().voidItem()
                                : discard(claimChecks))
                        .invoke(created -> {
                            if (created.batchId().equals(batchId)) {
                                prepared.items().forEach(metrics::created);
                            }
                        })
                        .onFailure().call(() -> discard(claimChecks)))
                .invoke(created -> outboxSignal.wake());
    }

    private record Prepared(RenderBatch batch, List<RenderJob> items) {
    }

    private void validate(CreateBatch request) {
        if (request.queue() != null && !config.jobs().queues().contains(request.queue())) {
            throw new Refusal.Invalid("queue: must be one of " + String.join(", ", config.jobs().queues()));
        }
        if (request.options() != null) {
            JobService.validate(request.options());
        }
        for (int i = 0; i < request.items().size(); i++) {
            Map<String, Object> meta = request.items().get(i).meta();
            if (meta != null && jobService.serialize(meta).length > JobService.MAX_META_BYTES) {
                throw new Refusal.Invalid("items[" + i + "].meta: is larger than " + JobService.MAX_META_BYTES
                        + " bytes (serialized JSON)");
            }
        }
    }

    private RenderBatch newBatch(String projectId, String batchId, CreateBatch request, String deployId,
            String versionId) {
        RenderBatch batch = new RenderBatch();
        batch.id = batchId;
        batch.projectId = projectId;
        batch.deployId = deployId;
        batch.deployVersionId = versionId;
        batch.status = RenderBatch.RUNNING;
        batch.itemCount = request.items().size();
        batch.merge = request.isMerge();
        batch.zip = request.isZip();
        batch.test = request.isTest();
        batch.webhookUrl = request.webhookUrl();
        batch.createdAt = Instant.now();
        batch.updatedAt = batch.createdAt;
        return batch;
    }

    /**
     * One job per item, each payload checked against the version's schema; every item's violations are collected
     * (pointers into the request: {@code /items/3/payload/customer/name}) and refused together.
     */
    private List<RenderJob> items(String projectId, RenderBatch batch, CreateBatch request,
            DeployService.Resolved found, List<ClaimCheck> claimChecks) {
        List<RenderJob> items = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        String firstBroken = null;
        int brokenItems = 0;
        for (int i = 0; i < request.items().size(); i++) {
            CreateBatch.Item item = request.items().get(i);
            String field = "items[" + i + "].payload";
            Map<String, Object> payload = item.payload() == null ? Map.of() : item.payload();
            byte[] bytes = jobService.serialize(payload);
            if (bytes.length > config.jobs().maxPayloadBytes()) {
                throw new Refusal.TooLarge(field + ": is larger than " + config.jobs().maxPayloadBytes() + " bytes");
            }
            try {
                deploys.checkPayload(found.version(), new String(bytes, StandardCharsets.UTF_8));
            } catch (Refusal.Invalid invalid) {
                if (!PayloadContracts.PAYLOAD_INVALID.equals(invalid.code())) {
                    throw invalid;
                }
                brokenItems++;
                for (Violation violation : invalid.violations()) {
                    violations.add(new Violation("/items/" + i + "/payload" + violation.pointer(),
                            violation.message()));
                }
                if (firstBroken == null) {
                    firstBroken = field + ": " + invalid.detail().substring(invalid.detail().indexOf(':') + 2);
                }
                continue;
            }
            String jobId = Ids.next(Ids.RENDER_JOB);
            String payloadRef = null;
            if (bytes.length > config.jobs().inlinePayloadMaxBytes()) {
                payloadRef = StorageKeys.payload(jobId);
                claimChecks.add(new ClaimCheck(payloadRef, bytes));
            }
            CreateJob asJob = new CreateJob(request.deployId(), batch.deployVersionId, null, item.businessKey(),
                    payloadRef == null ? payload : null, request.outputMode(), null, request.queue(), null,
                    request.options(), null, null, request.test(), item.meta(), null);
            RenderJob job = jobService.batchItemJob(projectId, jobId, asJob, batch.deployId, batch.deployVersionId,
                    payloadRef);
            job.batchId = batch.id;
            job.batchIndex = i;
            job.requestedAt = batch.createdAt;
            items.add(job);
        }
        if (!violations.isEmpty()) {
            List<Violation> listed = violations.size() > 100 ? violations.subList(0, 100) : violations;
            String others = brokenItems == 1 ? "" : " (" + (brokenItems - 1) + " more items do not match either)";
            throw new Refusal.Invalid(PayloadContracts.PAYLOAD_INVALID, firstBroken + others, listed);
        }
        return items;
    }

    private Uni<Void> store(List<ClaimCheck> checks) {
        return checks.isEmpty() ? Uni.createFrom().voidItem() : ObjectStorage.blocking(() -> {
            for (ClaimCheck check : checks) {
                storage.put(check.key(), check.content(), "application/json");
            }
            return null;
        });
    }

    private Uni<Void> discard(List<ClaimCheck> checks) {
        return checks.isEmpty() ? Uni.createFrom().voidItem()
                : storage.deleteQuietly(checks.stream().map(ClaimCheck::key).toList());
    }

    private Uni<Created> persist(Prepared prepared, String idempotencyKey, String fingerprint) {
        RenderBatch batch = prepared.batch();
        int count = prepared.items().size();
        return Panache.withTransaction(() -> {
            Uni<JobService.Created> earlier = idempotencyKey == null ? Uni.createFrom().nullItem()
                    : idempotency.claim(batch.projectId, idempotencyKey, fingerprint);
            return earlier.chain(replay -> {
                if (replay != null) {
                    return Uni.createFrom().item(new Created(replay.status(), replay.body(),
                            String.valueOf(((Map<?, ?>) replay.body().get("batch")).get("id"))));
                }
                return jobService.withinQuota(batch.projectId, count)
                        .chain(() -> batch.test ? Uni.createFrom().voidItem()
                                : usage.checkMonthlyQuota(batch.projectId, batch.createdAt, count))
                        .chain(() -> batches.persist(batch))
                        .chain(() -> Multi.createFrom().iterable(prepared.items())
                                .onItem().transformToUniAndConcatenate(transitions::create)
                                .collect().last())
                        .chain(() -> {
                            Map<String, Object> body = json.convertValue(new BatchAccepted(true,
                                    BatchView.of(batch, new Counts(count, 0, 0, 0, 0, 0))), MAP);
                            Uni<Void> remembered = idempotencyKey == null ? Uni.createFrom().voidItem()
                                    : idempotency.remember(batch.projectId, idempotencyKey, null, 202, body);
                            return remembered.replaceWith(new Created(202, body, batch.id));
                        });
            });
        });
    }

    /** The batch with its counts by item status and its outputs. */
    public Uni<BatchDetail> find(String projectId, String batchId) {
        return deadline.database(Panache.withSession(() -> found(projectId, batchId)
                .chain(batch -> counts(batch).chain(counts -> batchOutputs.ofBatch(batch.id)
                        .map(outputs -> BatchDetail.of(batch, counts, outputs))))));
    }

    private Uni<RenderBatch> found(String projectId, String batchId) {
        return batches.findInProject(projectId, batchId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("render batch " + batchId));
    }

    private Uni<Counts> counts(RenderBatch batch) {
        return batch.terminal() ? Uni.createFrom().item(Counts.ended(batch))
                : jobs.batchCounts(batch.id).map(Counts::of);
    }

    /** A page of the batch's items in item order, after place {@code afterIndex}; {@code limit + 1} rows. */
    public Uni<List<RenderJob>> items(String projectId, String batchId, int afterIndex, int limit) {
        return deadline.database(Panache.withSession(() -> found(projectId, batchId)
                .chain(batch -> jobs.batchItems(batch.id, afterIndex, limit))));
    }

    /**
     * Cancels every item that has not ended (each in its own transaction, through the job state machine); the
     * batch then ends {@code cancelled} once its last item has ended. 409 when the batch has ended, or when every
     * item has ended already (it is being assembled).
     */
    public Uni<BatchDetail> cancel(String projectId, String batchId) {
        return deadline.database(Panache.withTransaction(() -> batches.lock(batchId)
                .chain(batch -> {
                    if (batch == null || !batch.projectId.equals(projectId)) {
                        throw new Refusal.NotFound("render batch " + batchId);
                    }
                    if (!RenderBatch.RUNNING.equals(batch.status)) {
                        throw new Refusal.Conflict("batch_not_cancellable", "the batch is " + batch.status
                                + " and can no longer be cancelled");
                    }
                    return ledger.requestCancel(batch);
                })))
                .chain(batch -> Panache.withSession(() -> jobs.unfinishedInBatch(batch.id)))
                .chain(unfinished -> Multi.createFrom().iterable(unfinished)
                        .onItem().transformToUniAndConcatenate(transitions::cancelItem)
                        .collect().last())
                .chain(() -> find(projectId, batchId));
    }

    /** A signed token for the batch's merged PDF or zip ({@code kind}). */
    public Uni<String> link(String projectId, String batchId, String kind, boolean inline, Instant expiresAt) {
        return output(projectId, batchId, kind).map(output -> links.sign(new Grant(output.id, inline, expiresAt)));
    }

    /** The batch's merged PDF or zip, streamed through the API. */
    public Uni<Download> open(String projectId, String batchId, String kind, Asked asked) {
        return output(projectId, batchId, kind).chain(output -> outputs.readBatchOutput(output, false, asked));
    }

    private Uni<BatchOutput> output(String projectId, String batchId, String kind) {
        if (!BatchOutput.MERGED.equals(kind) && !BatchOutput.ZIP.equals(kind)) {
            return Uni.createFrom().failure(new Refusal.Invalid("kind: must be merged or zip"));
        }
        return deadline.database(Panache.withSession(() -> found(projectId, batchId).chain(batch -> {
            boolean asked = BatchOutput.MERGED.equals(kind) ? batch.merge : batch.zip;
            if (!asked) {
                throw new Refusal.NotFound("output_not_found", "the batch was created without "
                        + (BatchOutput.MERGED.equals(kind) ? "merge" : "zip"));
            }
            if (!batch.terminal()) {
                throw new Refusal.Conflict("output_not_ready", "the batch is " + batch.status
                        + "; its " + kind + " output is not available yet");
            }
            return batchOutputs.find(batch.id, kind).map(output -> {
                if (output == null) {
                    throw new Refusal.NotFound("output_not_found", "the batch has no " + kind + " output (it is "
                            + batch.status + ")");
                }
                return output;
            });
        })));
    }
}
