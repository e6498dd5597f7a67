package io.pressroom.job.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.common.Contexts;
import io.pressroom.common.Refusal;
import io.pressroom.common.RequestDeadline;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.StorageKeys;
import io.pressroom.deploy.service.DeployService;
import io.pressroom.job.repository.JobRepository;
import io.pressroom.job.repository.JobStatus;
import io.pressroom.job.repository.OutputRepository;
import io.pressroom.job.repository.RenderJob;
import io.pressroom.job.repository.RenderOutput;
import io.pressroom.storage.ObjectStorage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Template previews: a deploy version rendered with its sample payload (or the caller's), answered at once. A preview
 * is a hidden test copy ({@link JobService.Kind#PREVIEW}) that goes the normal way — outbox, Kafka, a renderer's
 * Chromium — on the preview queue, which renderers read on pages of their own so that it stays interactive while
 * jobs queue. It carries the TEST watermark, counts in no usage or quota, is in no list, and is deleted with every
 * object it stored before the answer is sent: a preview is stored nowhere.
 */
@ApplicationScoped
public class TemplatePreviews {

    /** What a preview is asked to answer. */
    public enum Format {
        /** The first page as a PNG (the renderer's page preview, 96 DPI). */
        PNG,
        /** The whole PDF. */
        PDF
    }

    /** How a preview ended: its bytes, or the render's failure, or no end within the preview timeout. */
    public sealed interface Outcome {
    }

    /** The rendered preview: a PNG of the first page or the PDF, and the document's page count. */
    public record Rendered(byte[] content, int pages) implements Outcome {
    }

    /** The render failed; the job's error code and message say why. */
    public record Failed(String errorCode, String message) implements Outcome {
    }

    /** The render did not end within {@code timeout}; it was cancelled. */
    public record TimedOut(Duration timeout) implements Outcome {
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JobService jobs;
    private final DeployService deploys;
    private final JobWaits waits;
    private final JobTransitions transitions;
    private final JobRepository jobRows;
    private final OutputRepository outputs;
    private final ObjectStorage storage;
    private final RequestDeadline deadline;
    private final ObjectMapper json;
    private final Duration timeout;

    public TemplatePreviews(JobService jobs, DeployService deploys, JobWaits waits, JobTransitions transitions,
            JobRepository jobRows, OutputRepository outputs, ObjectStorage storage, RequestDeadline deadline,
            ObjectMapper json, PressroomConfig config) {
        this.jobs = jobs;
        this.deploys = deploys;
        this.waits = waits;
        this.transitions = transitions;
        this.jobRows = jobRows;
        this.outputs = outputs;
        this.storage = storage;
        this.deadline = deadline;
        this.json = json;
        this.timeout = config.jobs().previewTimeout();
    }

    /**
     * Renders version {@code versionIdOrLatest} of the deploy with {@code payload}, or with the version's sample
     * payload when it is null (400 {@code payload_required} when the version has none). The payload is checked
     * against the version's schema as a job's is (400 {@code payload_invalid}).
     */
    public Uni<Outcome> preview(String projectId, String deployIdOrSlug, String versionIdOrLatest,
            Map<String, Object> payload, Format format) {
        Executor here = Contexts.currentExecutor();
        return deadline.database(deploys.resolve(projectId, deployIdOrSlug, versionIdOrLatest))
                .map(found -> {
                    Map<String, Object> data = payload;
                    if (data == null) {
                        if (found.version().samplePayload == null || !found.version().samplePayload.isObject()) {
                            throw new Refusal.Invalid("payload_required", "payload: version " + found.version().id
                                    + " has no samplePayload; send the payload to preview with in the body");
                        }
                        data = json.convertValue(found.version().samplePayload, MAP);
                    }
                    return new CreateJob(found.deploy().id, found.version().id, null, null, data, "transient",
                            format == Format.PNG ? List.of("pdf", "png") : List.of("pdf"), null, null, null, null,
                            null, true, null, null);
                })
                .chain(request -> jobs.createPreviewCopy(projectId, request))
                .chain(copyId -> waits.untilTerminal(copyId, timeout).emitOn(here)
                        .chain(ended -> outcome(projectId, copyId, ended, format))
                        .eventually(() -> jobs.discardCopy(projectId, copyId)));
    }

    /** A copy that ended: its row and its PDF (null when it has none). */
    private record Ended(RenderJob job, RenderOutput pdf) {
    }

    private Uni<Outcome> outcome(String projectId, String copyId, boolean ended, Format format) {
        if (!ended) {
            return transitions.cancel(projectId, copyId).onFailure().recoverWithNull()
                    .replaceWith(new TimedOut(timeout));
        }
        return deadline.database(Panache.withSession(() -> jobRows.findById(copyId)
                .chain(job -> outputs.findPdf(copyId).map(pdf -> new Ended(job, pdf)))))
                .chain(copy -> {
                    if (copy.job() == null || copy.job().status != JobStatus.succeeded || copy.pdf() == null) {
                        Failed failed = copy.job() == null ? new Failed("internal_error", "the preview was lost")
                                : new Failed(copy.job().errorCode, copy.job().errorMessage);
                        return Uni.createFrom().<Outcome> item(failed);
                    }
                    int pages = copy.pdf().pageCount == null ? 0 : copy.pdf().pageCount;
                    String key = format == Format.PNG ? StorageKeys.previewPage(copy.pdf().storageKey, 1)
                            : copy.pdf().storageKey;
                    return ObjectStorage.<byte[]> blocking(() -> storage.get(key)).map(bytes -> {
                        if (bytes == null) {
                            throw new IllegalStateException("the preview's " + format + " is not stored");
                        }
                        return (Outcome) new Rendered(bytes, pages);
                    });
                });
    }
}
