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
            @Schema(description = "The succeeded job this one's PDF is compared with (see diff)") String baselineJobId,
            @Schema(description = "The batch this job is an item of (rb_…)") String batchId,
            @Schema(description = "The job's place in its batch, from 0") Integer batchIndex) {

        /** The job as the 202 of its creation shows it. */
        public static JobView accepted(RenderJob job) {
            return new JobView(job.id, job.deployId, job.deployVersionId, job.businessKey, job.status.name(),
                    job.attempt, job.outputMode, null, millis(job.requestedAt), null, null, null, null, null, null, job.test,
                    job.meta, job.retryOf, job.baselineJobId, job.batchId, job.batchIndex);
        }

        public static JobView of(RenderJob job) {
            Long duration = job.finishedAt == null || job.startedAt == null ? null
                    : job.finishedAt.toEpochMilli() - job.startedAt.toEpochMilli();
            return new JobView(job.id, job.deployId, job.deployVersionId, job.businessKey, job.status.name(),
                    job.attempt, job.outputMode, job.queue, millis(job.requestedAt), millis(job.startedAt),
                    millis(job.finishedAt), duration, job.errorCode, job.errorMessage, job.acknowledged, job.test,
                    job.meta, job.retryOf, job.baselineJobId, job.batchId, job.batchIndex);
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

    /** One compared page of a diff. */
    public record DiffPageView(
            @Schema(description = "Page number, from 1") int n,
            @Schema(description = "Changed pixels / all pixels of the page (0 to 1)") double changedRatio,
            long changedPixels, long totalPixels,
            @Schema(description = "The difference image (PNG, read with the project key): unchanged pixels faded grey, changed pixels red") String image) {
    }

    /**
     * The comparison of a job's PDF with its baseline's, page by page (issue 15): a page is changed when one of its
     * pixels differs by more than {@code tolerance} levels in a color channel.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DiffView(
            @Schema(description = "The job compared with (baselineJobId)") String baselineJobId,
            @Schema(description = "The template version compared with (the release gate)") String baselineVersionId,
            @Schema(description = "The pages with at least one changed pixel") java.util.List<Integer> changedPages,
            @Schema(description = "The largest changedRatio of any page; 0 when nothing changed") Double maxChangedRatio,
            @Schema(description = "Whether the documents have different page counts; the pages only one has are wholly changed") Boolean pageCountChanged,
            Integer pageCount, Integer baselinePageCount,
            @Schema(description = "Whether pages past the 50 compared were left out") Boolean truncated,
            @Schema(description = "Both documents are rasterized at this resolution (lower for pages too large for the preview pixel cap)") Float dpi,
            @Schema(description = "How many levels (of 255) a color channel may differ before a pixel counts as changed") Integer tolerance,
            @Schema(description = "Why there is no comparison (the baseline's PDF is gone or cannot be read, or the baseline version did not render); the job itself succeeded") String unavailable,
            java.util.List<DiffPageView> pages) {

        static DiffView of(RenderJob job, io.pressroom.contract.RenderEvent.Diff diff) {
            if (diff.unavailable() != null || diff.pages() == null) {
                return new DiffView(job.baselineJobId, job.baselineVersionId, null, null, null, diff.pageCount(),
                        null, null, null, null, diff.unavailable(), null);
            }
            java.util.List<Integer> changed = new java.util.ArrayList<>();
            java.util.List<DiffPageView> pages = new java.util.ArrayList<>();
            double max = 0;
            for (var page : diff.pages()) {
                if (page.changedPixels() > 0) {
                    changed.add(page.n());
                }
                max = Math.max(max, page.changedRatio());
                pages.add(new DiffPageView(page.n(), page.changedRatio(), page.changedPixels(), page.totalPixels(),
                        "/v1/render-jobs/" + job.id + "/diff/pages/" + page.n() + ".png"));
            }
            return new DiffView(job.baselineJobId, job.baselineVersionId, changed, max,
                    diff.pageCount() != diff.baselinePageCount(), diff.pageCount(), diff.baselinePageCount(),
                    diff.truncated(), diff.dpi(), diff.tolerance(), null, pages);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobDetail(JobView job, OutputView output, PdfView pdf, PreviewsView previews,
            java.util.List<FormatView> outputs,
            @Schema(description = "The comparison with the baseline (jobs created with baselineJobId, and the release gate's), once the job succeeded") DiffView diff) {
        public static JobDetail of(RenderJob job, RenderOutput output) {
            if (output == null) {
                return new JobDetail(JobView.of(job), null, null, null, null, null);
            }
            java.util.List<FormatView> formats = new java.util.ArrayList<>();
            formats.add(new FormatView("pdf", output.bytes, output.pageCount, output.sha256, output.state));
            PreviewsView previews = null;
            if (output.previewPages > 0) {
                previews = new PreviewsView("png", output.previewPages, output.previewBytes, output.state);
                formats.add(new FormatView("png", output.previewBytes, output.previewPages, null, output.state));
            }
            DiffView diff = output.diff == null ? null : DiffView.of(job, output.diff);
            return new JobDetail(JobView.of(job), OutputView.of(output), PdfView.of(output), previews, formats, diff);
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
