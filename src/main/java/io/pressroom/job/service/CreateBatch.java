package io.pressroom.job.service;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.pressroom.contract.JobOptions;

/** The body of {@code POST /v1/render-batches}: one job per item, all of one deploy version, with shared options. */
public record CreateBatch(
        @NotNull @Size(min = 1, max = 100) @Schema(description = "The deploy (id or slug) every item is rendered with") String deployId,
        @Size(min = 1, max = 100) @Schema(description = "A dv_… id or latest (the default), resolved once for the whole batch") String deployVersionId,
        @Pattern(regexp = "managed|transient", message = "must be managed or transient") String outputMode,
        @Pattern(regexp = "[a-z0-9-]{1,50}", message = "must be a queue name") String queue,
        @Size(max = 2000) @Pattern(regexp = "https?://.+", message = "must be an http(s) URL") @Schema(description = "Absolute http(s) URL that receives the batch's batch.succeeded or batch.failed (the items send no webhook of their own to it)") String webhookUrl,
        @Valid @Schema(description = "Render options shared by every item, as a job's options") JobOptions options,
        @Schema(description = "Test jobs for every item (TEST watermark; counted in no usage or quota); default false") Boolean test,
        @Schema(description = "When every item succeeded: one PDF of all items' pages, in item order; default false") Boolean merge,
        @Schema(description = "When every item succeeded: a zip archive of the items' PDFs, in item order; default false") Boolean zip,
        @NotNull @Size(min = 1, max = BatchService.MAX_ITEMS) @Schema(description = "1 to 1000 items; each becomes one job") List<@NotNull @Valid Item> items) {

    /** One item: what differs from one job of the batch to the next. */
    public record Item(
            @Schema(description = "The data the template is merged with; must match the version's schema when it has one") Map<String, Object> payload,
            @Size(max = 200) String businessKey,
            @Schema(description = "Your own JSON object (at most 4096 bytes serialized), stored with the item's job") Map<String, Object> meta) {
    }

    public boolean isTest() {
        return Boolean.TRUE.equals(test);
    }

    public boolean isMerge() {
        return Boolean.TRUE.equals(merge);
    }

    public boolean isZip() {
        return Boolean.TRUE.equals(zip);
    }
}
