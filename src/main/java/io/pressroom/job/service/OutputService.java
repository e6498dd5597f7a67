package io.pressroom.job.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.ByteRanges.Asked;
import io.pressroom.common.ByteRanges.Slice;
import io.pressroom.common.Ids;
import io.pressroom.common.Refusal;
import io.pressroom.common.RequestDeadline;
import io.pressroom.contract.StorageKeys;
import io.pressroom.job.repository.BatchOutput;
import io.pressroom.job.repository.BatchOutputRepository;
import io.pressroom.job.repository.JobRepository;
import io.pressroom.job.repository.OutputRepository;
import io.pressroom.job.repository.RenderJob;
import io.pressroom.job.repository.RenderOutput;
import io.pressroom.job.repository.ShareRepository;
import io.pressroom.job.service.DownloadLinks.Grant;
import io.pressroom.job.service.JobStateMachine.Note;
import io.pressroom.storage.ObjectStorage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/** A job's PDF: signed links to it, serving it, deleting it. */
@ApplicationScoped
public class OutputService {

    /**
     * A stored file ready to send: the slice of it the request asked for, streamed from storage as the client reads.
     *
     * @param projectId the project whose file it is
     * @param fileName the name to save it as, or null (a preview)
     * @param etag its entity tag (quoted sha256), or null when it has none
     */
    public record Download(String projectId, String contentType, String fileName, boolean inline, String etag,
            Slice slice, Multi<Buffer> body) {

        /** The same download whose body also runs {@code action} when it ends, fails or is cancelled. */
        public Download onEnd(Runnable action) {
            return withBody(body.onTermination().invoke(action));
        }

        public Download withBody(Multi<Buffer> other) {
            return new Download(projectId, contentType, fileName, inline, etag, slice, other);
        }
    }

    private final JobRepository jobs;
    private final OutputRepository outputs;
    private final JobTransitions transitions;
    private final ObjectStorage storage;
    private final DownloadLinks links;
    private final RequestDeadline deadline;
    private final ShareRepository shares;
    private final BatchOutputRepository batchOutputs;

    public OutputService(JobRepository jobs, OutputRepository outputs, JobTransitions transitions, ObjectStorage storage,
            DownloadLinks links, RequestDeadline deadline, ShareRepository shares, BatchOutputRepository batchOutputs) {
        this.shares = shares;
        this.batchOutputs = batchOutputs;
        this.deadline = deadline;
        this.jobs = jobs;
        this.outputs = outputs;
        this.transitions = transitions;
        this.storage = storage;
        this.links = links;
    }

    /** A signed token for the job's PDF: 404 when there is none (any more), 409 while the job has not finished. */
    @WithSession
    public Uni<String> link(String projectId, String jobId, boolean inline, Instant expiresAt) {
        return readableOutput(projectId, jobId)
                .map(output -> links.sign(new Grant(output.id, inline, expiresAt)));
    }

    /** The PDF a token grants, checked against the output's current state; the part of it {@code asked}. */
    @WithSession
    public Uni<Download> open(Grant grant, Asked asked) {
        // signed links skip the key check: this is the request's first database call
        Uni<Void> shareLive = grant.shareId() == null ? Uni.createFrom().voidItem()
                : deadline.database(shares.findById(grant.shareId())).invoke(share -> {
                    if (share == null || share.revokedAt != null) {
                        throw new Refusal.Gone("link_revoked", "this link was revoked");
                    }
                }).replaceWithVoid();
        if (Ids.hasPrefix(grant.outputId(), Ids.BATCH_OUTPUT)) {
            // a batch's merged PDF or zip: the same links, the same checks
            return deadline.database(batchOutputs.findById(grant.outputId()))
                    .chain(output -> readBatchOutput(output, grant.inline(), asked));
        }
        return shareLive.chain(() -> deadline.database(outputs.findById(grant.outputId())))
                .map(output -> {
                    if (output == null || !RenderOutput.AVAILABLE.equals(output.state)) {
                        throw new Refusal.NotFound("output_gone", "this output was deleted or expired");
                    }
                    return output;
                })
                .chain(output -> read(output, grant.inline(), asked));
    }

    /** The job's PDF for its own project, streamed through the API (no storage URL involved). */
    @WithSession
    public Uni<Download> openForProject(String projectId, String jobId, Asked asked) {
        return readableOutput(projectId, jobId).chain(output -> read(output, false, asked));
    }

    /** A batch's merged PDF or zip, when it is still kept; the part of it {@code asked}. */
    Uni<Download> readBatchOutput(BatchOutput output, boolean inline, Asked asked) {
        if (output == null || !RenderOutput.AVAILABLE.equals(output.state)) {
            return Uni.createFrom().failure(new Refusal.NotFound("output_gone", "this output was deleted"));
        }
        return read(output.projectId, output.storageKey, output.bytes, output.contentType, output.fileName,
                output.sha256, inline, asked);
    }

    private Uni<Download> read(RenderOutput output, boolean inline, Asked asked) {
        return read(output.projectId, output.storageKey, output.bytes, output.contentType, output.fileName,
                output.sha256, inline, asked);
    }

    /** A job's PDF or a batch's file: its length and digest are on its row. */
    private Uni<Download> read(String projectId, String key, long bytes, String contentType, String fileName,
            String sha256, boolean inline, Asked asked) {
        return Uni.createFrom().item(() -> download(projectId, key, bytes, contentType, fileName, inline,
                "\"" + sha256 + "\"", asked, () -> new Refusal.NotFound("output_gone", "this output is no longer stored")));
    }

    /** Page {@code page} (1-based) of the PNG previews; 404 when the job has no such preview. */
    @WithSession
    public Uni<Download> preview(String projectId, String jobId, int page, Asked asked) {
        return readableOutput(projectId, jobId).chain(output -> {
            if (page < 1 || page > output.previewPages) {
                return Uni.createFrom()
                        .failure(new Refusal.NotFound("preview_not_found",
                                output.previewPages == 0 ? "the job has no previews (they need formats [\"pdf\", \"png\"])"
                                        : "no preview of page " + page + ": the job has previews of pages 1 to "
                                                + output.previewPages));
            }
            return read(output.projectId, StorageKeys.previewPage(output.storageKey, page), "image/png", null, true, null,
                    asked,
                    () -> new Refusal.NotFound("preview_not_found", "the preview is no longer stored"));
        });
    }

    /** The difference image of page {@code page} (1-based) against the job's baseline; 404 when there is none. */
    @WithSession
    public Uni<Download> diffImage(String projectId, String jobId, int page, Asked asked) {
        return readableOutput(projectId, jobId).chain(output -> {
            if (page < 1 || page > output.diffImages) {
                return Uni.createFrom().failure(new Refusal.NotFound("diff_page_not_found", output.diffImages == 0
                        ? "the job has no difference images (they need baselineJobId, and a baseline that could be read)"
                        : "no difference image of page " + page + ": the job has them for pages 1 to "
                                + output.diffImages));
            }
            return read(output.projectId, StorageKeys.diffPage(output.storageKey, page), "image/png", null, true, null, asked,
                    () -> new Refusal.NotFound("diff_page_not_found", "the difference image is no longer stored"));
        });
    }

    /**
     * The slice {@code asked} of the object at {@code key}, once storage has said how long it is; {@code gone} when
     * it is not there. The bytes are read only as the client takes them.
     */
    private Uni<Download> read(String projectId, String key, String contentType, String fileName, boolean inline,
            String etag, Asked asked, Supplier<Refusal> gone) {
        return ObjectStorage.blocking(() -> storage.size(key)).map(length -> {
            if (length < 0) {
                throw gone.get();
            }
            return download(projectId, key, length, contentType, fileName, inline, etag, asked, gone);
        });
    }

    /**
     * The slice {@code asked} of a stored file whose length the database already holds (a PDF, a batch's file): no
     * request to storage before the body's own, which answers {@code gone} (before the first byte) when the object
     * is missing.
     */
    private Download download(String projectId, String key, long length, String contentType, String fileName,
            boolean inline, String etag, Asked asked, Supplier<Refusal> gone) {
        Slice slice = asked.slice(length, etag);
        return new Download(projectId, contentType, fileName, inline, etag, slice,
                storage.stream(key, slice.first(), slice.last(), gone));
    }

    /** The render report (JSON) of the attempt that produced the job's output, while that output is kept. */
    @WithSession
    public Uni<byte[]> report(String projectId, String jobId) {
        return deadline.database(jobs.readWithPdf(projectId, jobId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("render job " + jobId))
                .map(found -> {
                    RenderJob job = found.job();
                    RenderOutput output = found.pdf();
                    if (output == null && !job.status.terminal()) {
                        throw new Refusal.Conflict("output_not_ready", "the job is " + job.status
                                + "; its report is not available yet");
                    }
                    if (output == null || (output.report == null && output.reportKey == null)) {
                        throw new Refusal.NotFound("report_not_found", "the job has no render report");
                    }
                    if (!RenderOutput.AVAILABLE.equals(output.state)) {
                        throw new Refusal.NotFound("report_not_found", "the output was " + output.state
                                + ", and its render report with it");
                    }
                    return output;
                }))
                .chain(output -> output.report != null
                        ? Uni.createFrom().item(output.report.getBytes(StandardCharsets.UTF_8))
                        // an earlier renderer's report, stored beside the PDF
                        : ObjectStorage.blocking(() -> storage.get(output.reportKey)))
                .onItem().ifNull()
                .failWith(() -> new Refusal.NotFound("report_not_found", "the render report is no longer stored"));
    }

    /** Deletes the job's PDF: its links stop working at once, the stored object goes after the commit. */
    public Uni<Void> delete(String projectId, String jobId) {
        return Panache.withTransaction(() -> availableOutput(projectId, jobId)
                .call(output -> retire(output, RenderOutput.DELETED, Note.output_deleted)))
                .chain(this::removeStored);
    }

    /**
     * Expires up to {@code limit} transient outputs past their time; completes with how many. Each in its own
     * transaction, re-checked under a row lock, so several API pods can sweep at once.
     */
    public Uni<Integer> expireDue(int limit) {
        return Panache.withSession(() -> outputs.find("state = ?1 and expiresAt < ?2", RenderOutput.AVAILABLE,
                Instant.now()).page(0, limit).list())
                .onItem().transformToMulti(due -> io.smallrye.mutiny.Multi.createFrom().iterable(due))
                .onItem().transformToUniAndConcatenate(candidate -> Panache.withTransaction(() -> outputs
                        .findById(candidate.id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                        .chain(output -> RenderOutput.AVAILABLE.equals(output.state)
                                ? retire(output, RenderOutput.EXPIRED, Note.output_expired).replaceWith(output)
                                : Uni.createFrom().<RenderOutput> nullItem()))
                        .call(output -> output == null ? Uni.createFrom().voidItem() : removeStored(output)))
                .collect().asList().map(java.util.List::size);
    }

    private Uni<?> retire(RenderOutput output, String state, Note note) {
        output.state = state;
        output.report = null; // it describes files that are gone
        output.deletedAt = Instant.now();
        return transitions.note(output.jobId, note, Map.of("outputId", output.id));
    }

    /**
     * The PDF, its previews and its report, after the commit that retired them: the report describes a render whose
     * files are gone, and would otherwise stay in the bucket for good.
     */
    private Uni<Void> removeStored(RenderOutput output) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        keys.add(output.storageKey);
        for (int page = 1; page <= output.previewPages; page++) {
            keys.add(StorageKeys.previewPage(output.storageKey, page));
        }
        for (int page = 1; page <= output.diffImages; page++) {
            keys.add(StorageKeys.diffPage(output.storageKey, page));
        }
        if (output.reportKey != null) {
            keys.add(output.reportKey);
        }
        return storage.deleteQuietly(keys);
    }

    /** The job's PDF while it is kept, to be changed (deleted). */
    private Uni<RenderOutput> availableOutput(String projectId, String jobId) {
        return deadline.database(jobs.findInProject(projectId, jobId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("render job " + jobId))
                .chain(job -> outputs.findPdf(job.id).map(output -> check(job, output))));
    }

    /** The job's PDF while it is kept, to be read (downloaded, linked to): loaded read-only. */
    private Uni<RenderOutput> readableOutput(String projectId, String jobId) {
        return deadline.database(jobs.readWithPdf(projectId, jobId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("render job " + jobId))
                .map(found -> check(found.job(), found.pdf())));
    }

    private static RenderOutput check(RenderJob job, RenderOutput output) {
        if (output == null) {
            if (!job.status.terminal()) {
                throw new Refusal.Conflict("output_not_ready", "the job is " + job.status + "; its output is not "
                        + "available yet");
            }
            throw new Refusal.NotFound("output_not_found", "the job has no output (it is " + job.status + ")");
        }
        if (!RenderOutput.AVAILABLE.equals(output.state)) {
            throw new Refusal.NotFound("output_gone", "the output was " + output.state);
        }
        return output;
    }
}
