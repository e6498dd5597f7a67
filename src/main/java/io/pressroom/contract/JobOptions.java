package io.pressroom.contract;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Render options of a job (SPEC §2 {@code options}), validated by the API and carried to the renderer in the
 * command. Null means "the default". Every string has a length cap (docs/jobs.md), so options can never make a
 * render command too large for Kafka on their own.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record JobOptions(
        // the documented pattern spells the case-insensitivity out: JSON Schema patterns have no (?i)
        @Schema(description = "Paper size, in any case", pattern = "^([Aa][0-6]|[Ll][Ee][Tt][Tt][Ee][Rr]|[Ll][Ee][Gg][Aa][Ll]|[Tt][Aa][Bb][Ll][Oo][Ii][Dd]|[Ll][Ee][Dd][Gg][Ee][Rr])$") @Pattern(regexp = "(?i)A0|A1|A2|A3|A4|A5|A6|Letter|Legal|Tabloid|Ledger", message = "must be one of A0-A6, Letter, Legal, Tabloid, Ledger") String format,
        Boolean landscape,
        @Valid Margin margin,
        Boolean printBackground,
        @DecimalMin(value = "0.1", message = "must be between 0.1 and 2") @DecimalMax(value = "2", message = "must be between 0.1 and 2") Double scale,
        @Size(max = 200) @Pattern(regexp = "\\s*[1-9]\\d{0,8}(\\s*-\\s*([1-9]\\d{0,8})?)?(\\s*,\\s*[1-9]\\d{0,8}(\\s*-\\s*([1-9]\\d{0,8})?)?)*\\s*", message = "must look like 1-3,5 (pages are numbered from 1)") String pageRanges,
        Boolean preferCssPageSize,
        @Size(max = 20000) String headerTemplate,
        @Size(max = 20000) String footerTemplate,
        @Pattern(regexp = "print|screen", message = "must be print or screen") String emulateMedia,
        @Valid WaitFor waitFor,
        @Size(max = 2000) String waitForExpression,
        @Min(0) @Max(60000) Long waitDelayMs,
        @Min(1000) @Max(600000) Long renderTimeoutMs,
        Boolean javascript,
        @Schema(description = "Make the PDF a PDF/A-2b or PDF/A-3b archival document; not with protect") @Pattern(regexp = "2b|3b", message = "must be 2b or 3b") String pdfa,
        @Schema(description = "Add a document outline (bookmarks) made from the headings; makes a tagged PDF") Boolean outline,
        @Valid Metadata metadata,
        @Valid Protect protect) {

    private static final String LENGTH = "(0|\\d+(\\.\\d+)?(px|in|cm|mm))";

    public record Margin(
            @Size(max = 20) @Pattern(regexp = LENGTH, message = "must be a length such as 10mm, 0.5in, 20px") String top,
            @Size(max = 20) @Pattern(regexp = LENGTH, message = "must be a length such as 10mm, 0.5in, 20px") String right,
            @Size(max = 20) @Pattern(regexp = LENGTH, message = "must be a length such as 10mm, 0.5in, 20px") String bottom,
            @Size(max = 20) @Pattern(regexp = LENGTH, message = "must be a length such as 10mm, 0.5in, 20px") String left) {
    }

    public record WaitFor(@Size(min = 1, max = 500) String selector) {
    }

    /** The PDF's document information, written to its Info dictionary and its XMP metadata. */
    @Schema(description = "The PDF's Title, Author, Subject and Keywords, in its Info dictionary and XMP metadata")
    public record Metadata(
            @Size(max = 500) String title,
            @Size(max = 200) String author,
            @Size(max = 1000) String subject,
            @Size(max = 1000) String keywords) {
    }

    /**
     * AES-256 encryption of the PDF. The passwords go to the renderer in the command and are purged from the job
     * when it ends; job reads never show them.
     */
    @Schema(description = "AES-256 encryption; needs a password, not with pdfa; the passwords are purged when the job ends")
    public record Protect(
            @Schema(description = "Password to open the PDF; none opens it without one", writeOnly = true, maxLength = 128) @Size(max = 128) String userPassword,
            @Schema(description = "Password for full access; required with permissions", writeOnly = true, maxLength = 128) @Size(max = 128) String ownerPassword,
            @Valid Permissions permissions) {

        @Override
        public String toString() {
            return "Protect[passwords hidden, permissions=" + permissions + "]";
        }
    }

    /** What a reader who opened the PDF with the user password may do; an absent one is allowed. */
    public record Permissions(Boolean print, Boolean copy, Boolean modify) {
    }

    /** The same options with the render budget set. */
    public JobOptions withRenderTimeoutMs(long budgetMs) {
        return new JobOptions(format, landscape, margin, printBackground, scale, pageRanges, preferCssPageSize,
                headerTemplate, footerTemplate, emulateMedia, waitFor, waitForExpression, waitDelayMs, budgetMs,
                javascript, pdfa, outline, metadata, protect);
    }

    public static JobOptions none() {
        return new JobOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }
}
