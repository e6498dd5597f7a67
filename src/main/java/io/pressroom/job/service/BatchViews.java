package io.pressroom.job.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.pressroom.job.repository.BatchOutput;
import io.pressroom.job.repository.RenderBatch;
import io.pressroom.job.repository.RenderJob;

/** What the API shows of batches, their items and their outputs. */
public final class BatchViews {

    private BatchViews() {
    }

    /** How many of the batch's items are in each job status. */
    public record Counts(long queued, long rendering, long retryScheduled, long succeeded, long failed,
            long cancelled) {

        /** From {@code (status, count)} rows. */
        static Counts of(List<Object[]> rows) {
            long[] by = new long[6];
            for (Object[] row : rows) {
                int at = switch (String.valueOf(row[0])) {
                    case "queued" -> 0;
                    case "rendering" -> 1;
                    case "retry_scheduled" -> 2;
                    case "succeeded" -> 3;
                    case "failed" -> 4;
                    default -> 5;
                };
                by[at] += ((Number) row[1]).longValue();
            }
            return new Counts(by[0], by[1], by[2], by[3], by[4], by[5]);
        }

        /** From the batch's own tallies: exact once every item has ended. */
        static Counts ended(RenderBatch batch) {
            return new Counts(0, 0, 0, batch.succeededCount, batch.failedCount, batch.cancelledCount);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BatchView(String id, String deployId, String deployVersionId,
            @Schema(description = "running, assembling (every item succeeded; the merged PDF or zip is being made), succeeded, failed or cancelled", enumeration = {
                    "running", "assembling", "succeeded", "failed", "cancelled" }) String status,
            int itemCount, Counts counts, boolean merge, boolean zip, Boolean test, String webhookUrl,
            Long createdAt, Long finishedAt,
            @Schema(description = "Why the batch failed: items_failed, batch_cancelled, output_gone or assembly_failed") String errorCode,
            String errorMessage){

        static BatchView of(RenderBatch batch, Counts counts) {
            return new BatchView(batch.id, batch.deployId, batch.deployVersionId, batch.status, batch.itemCount, counts,
                    batch.merge, batch.zip, batch.test ? Boolean.TRUE : null, batch.webhookUrl,
                    millis(batch.createdAt), millis(batch.finishedAt), batch.errorCode, batch.errorMessage);
        }
    }

    /** The merged PDF or the zip. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutputView(String id, @Schema(enumeration = {
            "merged", "zip" }) String kind, String fileName,
            String contentType, long bytes, Integer pageCount, String sha256, String state, long createdAt){
        static OutputView of(BatchOutput output) {
            return new OutputView(output.id, output.kind, output.fileName, output.contentType, output.bytes,
                    output.pageCount, output.sha256, output.state, output.createdAt.toEpochMilli());
        }
    }

    /** {@code GET /v1/render-batches/{id}}: the batch, its counts and its outputs (once assembled). */
    public record BatchDetail(BatchView batch, List<OutputView> outputs) {
        static BatchDetail of(RenderBatch batch, Counts counts, List<BatchOutput> outputs) {
            return new BatchDetail(BatchView.of(batch, counts), outputs.stream().map(OutputView::of).toList());
        }
    }

    /** The 202 of a create. */
    public record BatchAccepted(boolean accepted, BatchView batch) {
    }

    /** One item: its place, its job and how the job stands. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemView(int index, String jobId, String businessKey, String status, String errorCode,
            Map<String, Object> meta) {
        public static ItemView of(RenderJob job) {
            return new ItemView(job.batchIndex, job.id, job.businessKey, job.status.name(), job.errorCode, job.meta);
        }
    }

    static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
