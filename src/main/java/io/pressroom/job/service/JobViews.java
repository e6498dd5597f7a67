package io.pressroom.job.service;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.pressroom.contract.ErrorCode;
import io.pressroom.job.repository.RenderJob;
import io.pressroom.job.repository.RenderOutput;

/** What the API shows of jobs and their outputs (seed 000's shapes). */
public final class JobViews {

    private JobViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobView(String id, String deployId, String deployVersionId, String businessKey, String status,
            int attempt, String outputMode, String queue, Long requestedAt, Long startedAt, Long finishedAt,
            Long durationMs,
            @Schema(implementation = ErrorCode.class, type = SchemaType.STRING, description = "Why the last attempt failed; set when the job failed or a retry is scheduled") String errorCode,
            String errorMessage, Boolean acknowledged,
            @Schema(description = "Whether this is a test job (TEST watermark; counted in no usage or quota)") Boolean test,
            @Schema(description = "The meta object given at creation") java.util.Map<String, Object> meta,
            @Schema(description = "The failed or cancelled job this one retries") String retryOf,
            @Schema(description = "The batch this job is an item of (rb_…)") String batchId,
            @Schema(description = "The job's place in its batch, from 0") Integer batchIndex) {

        /** The job as the 202 of its creation shows it. */
        public static JobView accepted(RenderJob job) {
            return new JobView(job.id, job.deployId, job.deployVersionId, job.businessKey, job.status.name(),
                    job.attempt, job.outputMode, null, millis(job.requestedAt), null, null, null, null, null, null, job.test,
                    job.meta, job.retryOf, job.batchId, job.batchIndex);
        }

        public static JobView of(RenderJob job) {
            Long duration = job.finishedAt == null || job.startedAt == null ? null
                    : job.finishedAt.toEpochMilli() - job.startedAt.toEpochMilli();
            return new JobView(job.id, job.deployId, job.deployVersionId, job.businessKey, job.status.name(),
                    job.attempt, job.outputMode, job.queue, millis(job.requestedAt), millis(job.startedAt),
                    millis(job.finishedAt), duration, job.errorCode, job.errorMessage, job.acknowledged, job.test,
                    job.meta, job.retryOf, job.batchId, job.batchIndex);
        }
    }

    public record Accepted(boolean accepted, String queue, JobView job) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutputView(String id, long bytes, Integer pageCount, String sha256, String state, long createdAt,
            Long expiresAt) {
        static OutputView of(RenderOutput output) {
            return new OutputView(output.id, output.bytes, output.pageCount, output.sha256, output.state,
                    output.createdAt.toEpochMilli(), millis(output.expiresAt));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PdfView(String id, String state, String fileName, long bytes, Integer pageCount, long createdAt) {
        static PdfView of(RenderOutput output) {
            return new PdfView(output.pdfId, output.state, output.fileName, output.bytes, output.pageCount,
                    output.createdAt.toEpochMilli());
        }
    }

    /** One produced format: the PDF, and PNG page previews when asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FormatView(String format, long bytes, Integer pages, String sha256, String state) {
    }

    /** PNG previews: GET /v1/render-jobs/{id}/output/pages/{n}.png for n = 1…pages. */
    public record PreviewsView(String format, int pages, long bytes, String state) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobDetail(JobView job, OutputView output, PdfView pdf, PreviewsView previews,
            java.util.List<FormatView> outputs) {
        public static JobDetail of(RenderJob job, RenderOutput output) {
            if (output == null) {
                return new JobDetail(JobView.of(job), null, null, null, null);
            }
            java.util.List<FormatView> formats = new java.util.ArrayList<>();
            formats.add(new FormatView("pdf", output.bytes, output.pageCount, output.sha256, output.state));
            PreviewsView previews = null;
            if (output.previewPages > 0) {
                previews = new PreviewsView("png", output.previewPages, output.previewBytes, output.state);
                formats.add(new FormatView("png", output.previewBytes, output.previewPages, null, output.state));
            }
            return new JobDetail(JobView.of(job), OutputView.of(output), PdfView.of(output), previews, formats);
        }
    }

    /** One timeline entry. */
    public record EventView(long id, String type, int attempt, long at, java.util.Map<String, Object> details) {
        public static EventView of(io.pressroom.job.repository.JobEvent event) {
            return new EventView(event.id, event.type, event.attempt, event.at.toEpochMilli(),
                    event.details == null ? java.util.Map.of() : event.details);
        }
    }

    public record Access(String url, long expiresAt) {
    }

    public record AccessView(Access access) {
    }

    static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
