package io.pressroom.render.worker;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.ErrorCode;
import io.pressroom.contract.JobOptions;
import io.pressroom.contract.RenderCommand;
import io.pressroom.contract.RenderEvent;
import io.pressroom.contract.StorageKeys;
import io.pressroom.render.browser.BlockedRequest;
import io.pressroom.render.browser.BrowserPool;
import io.pressroom.render.browser.RenderFailure;
import io.pressroom.render.browser.RenderRequest;
import io.pressroom.render.browser.RenderResult;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.template.TemplateEngine.TemplateException;

/**
 * One render attempt, blocking, on a render worker thread: template and payload from storage, merge (under the render
 * budget, {@link TemplateMerges}), Chromium with what is left of the budget, upload. Every failure leaves as a
 * {@link RenderFailure} with its error code.
 */
@ApplicationScoped
public class RenderExecutor {

    private static final Logger LOG = Logger.getLogger(RenderExecutor.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private static final float POINTS_PER_INCH = 72;

    /**
     * Characters of console errors and refused URLs one render report carries, together: with JSON's escapes at their
     * worst it stays well within a Kafka message (1 MiB).
     */
    static final int REPORT_TEXT_BUDGET = 128 * 1024;

    private final TemplateCache templates;
    private final TemplateMerges merges;
    private final BrowserPool browsers;
    private final ObjectStorage storage;
    private final ObjectMapper json;
    private final int maxPages;
    private final double maxPageInches;
    private final double maxPreviewPixels;
    private final PageImages pageImages;
    private final Tracer tracer;

    public RenderExecutor(TemplateCache templates, TemplateMerges merges, BrowserPool browsers, ObjectStorage storage,
            ObjectMapper json, PressroomConfig config, PageImages pageImages, Tracer tracer) {
        this.pageImages = pageImages;
        this.tracer = tracer;
        this.templates = templates;
        this.merges = merges;
        this.browsers = browsers;
        this.storage = storage;
        this.json = json;
        this.maxPages = config.chromium().maxPages();
        this.maxPageInches = config.chromium().maxPageInches();
        this.maxPreviewPixels = config.chromium().maxPreviewMegapixels() * 1_000_000;
    }

    /** Renders the command's attempt and uploads the PDF; returns what the succeeded event reports. */
    public RenderEvent.Output execute(RenderCommand command, Map<String, Long> timings) throws RenderFailure {
        long start = System.nanoTime();
        TemplateCache.Prepared prepared = prepare(command);
        Map<String, Object> payload = payload(command);
        long budgetMs = command.options().renderTimeoutMs();
        long mergeStart = System.nanoTime();
        String html = merges.merge(prepared.template(), payload, Duration.ofMillis(budgetMs));
        long mergeMs = millisSince(mergeStart);
        timings.put("merge", millisSince(start));

        // the merge spent part of the render budget: the browser gets what is left
        JobOptions options = command.options().withRenderTimeoutMs(Math.max(1, budgetMs - mergeMs));
        Printed printed = print(command, html, prepared, options);
        timings.put("load", printed.result().loadMs());
        timings.put("print", printed.result().printMs());
        Baseline baseline = command.baseline() == null ? null
                : baseline(command, payload, Math.max(1, budgetMs - millisSince(start)));
        // page previews and difference images are made within the same budget
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(budgetMs);
        Span upload = tracer.spanBuilder("render.upload").startSpan();
        try (Scope scope = upload.makeCurrent()) {
            return upload(command, printed.result(), printed.pages(), timings, baseline, deadline);
        } finally {
            upload.end();
        }
    }

    /** Chromium's PDF, checked against the caps, watermarked when a test job's, finished as the options ask. */
    private record Printed(RenderResult result, int pages) {
    }

    private Printed print(RenderCommand command, String html, TemplateCache.Prepared prepared, JobOptions options)
            throws RenderFailure {
        RenderResult result;
        Span chromium = tracer.spanBuilder("render.chromium").startSpan();
        try (Scope scope = chromium.makeCurrent()) {
            result = browsers.render(new RenderRequest(command.jobId(), html, prepared.assets(),
                    RenderOptionsMapper.toRenderOptions(options, maxPages), command.fileName()));
            chromium.setAttribute("pressroom.render.load_ms", result.loadMs());
            chromium.setAttribute("pressroom.render.print_ms", result.printMs());
        } finally {
            chromium.end();
        }
        int pages = checkPages(result.pdf());
        if (command.test()) {
            result = watermarked(result, options.pdfa() != null);
        }
        if (DocumentFinisher.needed(options)) {
            result = new RenderResult(DocumentFinisher.finish(result.pdf(), options), result.blocked(),
                    result.consoleErrors(), result.loadMs(), result.printMs());
        }
        return new Printed(result, pages);
    }

    /** The baseline's PDF, or why there is none to compare with. */
    private record Baseline(byte[] pdf, String unavailable) {
    }

    /**
     * The PDF to compare with: the baseline job's stored PDF, or (the release gate) the baseline version's template
     * merged with the same payload and printed with the same options, within what is left of the render budget. A
     * baseline that is gone or fails to render leaves the render itself standing: its diff says why it is missing.
     */
    private Baseline baseline(RenderCommand command, Map<String, Object> payload, long budgetLeftMs)
            throws RenderFailure {
        RenderCommand.Baseline baseline = command.baseline();
        if (baseline.pdfKey() != null) {
            byte[] pdf = StorageRetry.call(command.storageRetryMs(), "load the baseline PDF",
                    () -> storage.get(baseline.pdfKey()));
            return pdf == null ? new Baseline(null, "the baseline job's PDF is no longer stored")
                    : new Baseline(pdf, null);
        }
        try {
            TemplateCache.Prepared prepared = StorageRetry.call(command.storageRetryMs(), "load the baseline template",
                    () -> templates.get(baseline.bundlePrefix()));
            String html = merges.merge(prepared.template(), payload, Duration.ofMillis(budgetLeftMs));
            return new Baseline(print(command, html, prepared, command.options().withRenderTimeoutMs(budgetLeftMs))
                    .result().pdf(), null);
        } catch (TemplateException e) {
            return new Baseline(null, "the baseline version's template does not compile: " + e.getMessage());
        } catch (RenderFailure e) {
            if (e.code() == ErrorCode.STORAGE_ERROR || e.code() == ErrorCode.CANCELLED) {
                throw e;
            }
            return new Baseline(null, "the baseline version did not render: " + e.code() + ": " + e.getMessage());
        }
    }

    /** A test job's PDF carries {@link TestWatermark} on every page. */
    private static RenderResult watermarked(RenderResult result, boolean archival) throws RenderFailure {
        try {
            return new RenderResult(TestWatermark.stamp(result.pdf(), archival), result.blocked(), result.consoleErrors(),
                    result.loadMs(), result.printMs());
        } catch (IOException e) {
            throw new RenderFailure(ErrorCode.INTERNAL_ERROR, true, "could not stamp the TEST watermark", e);
        }
    }

    /**
     * Stores the PDF and its page previews when asked for; the render report goes with the output. Previews and
     * difference images past {@code deadline} (the render budget's end, {@link System#nanoTime()}) fail the attempt.
     */
    private RenderEvent.Output upload(RenderCommand command, RenderResult result, int pages, Map<String, Long> timings,
            Baseline baseline, long deadline) throws RenderFailure {
        long uploadStart = System.nanoTime();
        String renderId = UUID.randomUUID().toString();
        String key = StorageKeys.pdf(command, renderId);
        long budget = command.storageRetryMs();
        String sha256 = StorageRetry.call(budget, "store the PDF",
                () -> storage.putHashed(key, result.pdf(), StorageKeys.PDF));
        List<String> stored = new ArrayList<>(List.of(key));
        long previewBytes = 0;
        int previewPages = 0;
        RenderEvent.Diff diff = null;
        try {
            if (command.formats() != null && command.formats().contains("png")) {
                PagePreviews.Stored previews = previews(command, result.pdf(), pageStore(command, "the page previews",
                        deadline, stored, page -> StorageKeys.previewPage(key, page)));
                previewBytes = previews.bytes();
                previewPages = previews.pages();
            }
            if (baseline != null) {
                long diffStart = System.nanoTime();
                diff = baseline.pdf() == null ? BaselineDiff.unavailable(pages, baseline.unavailable())
                        : BaselineDiff.compare(result.pdf(), baseline.pdf(), maxPreviewPixels, pageImages,
                                pageStore(command, "the difference images", deadline, stored,
                                        page -> StorageKeys.diffPage(key, page)));
                timings.put("diff", millisSince(diffStart));
            }
        } catch (RenderFailure e) {
            discard(command, stored, e);
            throw e;
        }
        timings.put("upload", millisSince(uploadStart));
        return new RenderEvent.Output(key, "pdf", StorageKeys.PDF, result.pdf().length, pages, sha256, null,
                previewPages, previewBytes, diff, report(command, result, pages, sha256, timings));
    }

    /** The PNG previews of the PDF's first pages, as many as the command asks for (at most 50). */
    private PagePreviews.Stored previews(RenderCommand command, byte[] pdf, PageImages.Store store)
            throws RenderFailure {
        int limit = command.previewPages() == null ? PagePreviews.MAX_PAGES
                : Math.min(PagePreviews.MAX_PAGES, command.previewPages());
        try {
            return PagePreviews.render(pdf, maxPreviewPixels, limit, pageImages, store);
        } catch (IOException e) {
            throw new RenderFailure(ErrorCode.INTERNAL_ERROR, true, "could not make the page previews", e);
        }
    }

    /**
     * Stores each page image (a PNG file) of {@code what} under {@code keyOf(page)}. Between the pages of previews or
     * diffs, which could take minutes after Chromium is done (fifty pages of up to 16 megapixels each), a job cancelled
     * meanwhile stops here instead of making the rest (its output would be deleted on arrival anyway), and so does one
     * past its render budget: it fails with {@code render_timeout_exceeded} (not retried), as a merge or a print past
     * the budget does, instead of holding a render slot until the API counts the attempt as crashed and runs it again.
     * What it stored already is deleted ({@link #discard}).
     */
    private PageImages.Store pageStore(RenderCommand command, String what, long deadline, List<String> stored,
            IntFunction<String> keyOf) {
        return (page, png) -> {
            stopIfCancelled(command);
            if (System.nanoTime() - deadline > 0) {
                throw new RenderFailure(ErrorCode.RENDER_TIMEOUT_EXCEEDED, false, what + " did not finish within the "
                        + "render budget of " + command.options().renderTimeoutMs() + " ms (" + (page - 1)
                        + " stored)", null);
            }
            String key = keyOf.apply(page);
            StorageRetry.run(command.storageRetryMs(), "store " + what, () -> storage.put(key, png, "image/png"));
            stored.add(key);
        };
    }

    /**
     * Deletes what an attempt that stopped half-way had stored, its PDF and the page images made so far, so that a
     * cancelled or failed job's document does not stay in the bucket until the orphan sweep (a day or more). Not when
     * storage itself failed: that would only wait for it again; the orphan sweep takes those.
     */
    private void discard(RenderCommand command, List<String> keys, RenderFailure failure) {
        if (failure.code() == ErrorCode.STORAGE_ERROR) {
            return;
        }
        try {
            storage.deleteAll(keys);
        } catch (RuntimeException e) {
            LOG.infof("Could not delete the %d objects %s attempt %d stored before it stopped (the orphan sweep will): %s",
                    keys.size(), command.jobId(), command.attempt(), e.getMessage());
        }
    }

    private void stopIfCancelled(RenderCommand command) throws RenderFailure {
        if (browsers.cancelled(command.jobId())) {
            throw RenderFailure.cancelled();
        }
    }

    /**
     * The render report, sent with the succeeded event and kept with the output by the API (not stored as an object of
     * its own: one storage request fewer per render). It travels in a Kafka event, so its console errors and its refused
     * URLs carry at most half of {@link #REPORT_TEXT_BUDGET} characters each, the first ones first (a page that floods
     * its console cannot hide what the sandbox refused); {@code truncated} says that some were left out.
     */
    static Map<String, Object> report(RenderCommand command, RenderResult result, int pages, String sha256,
            Map<String, Long> timings) {
        List<String> consoleErrors = within(result.consoleErrors(), String::length, REPORT_TEXT_BUDGET / 2);
        List<BlockedRequest> blocked = within(result.blocked(), request -> request.url().length(),
                REPORT_TEXT_BUDGET / 2);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("jobId", command.jobId());
        report.put("attempt", command.attempt());
        report.put("pages", pages);
        report.put("bytes", result.pdf().length);
        report.put("sha256", sha256);
        report.put("timings", new LinkedHashMap<>(timings));
        report.put("consoleErrors", consoleErrors);
        report.put("blockedRequests", blocked);
        if (consoleErrors.size() < result.consoleErrors().size() || blocked.size() < result.blocked().size()) {
            report.put("truncated", true);
        }
        return report;
    }

    /** The first items whose characters fit in {@code budget} together. */
    private static <T> List<T> within(List<T> items, ToIntFunction<T> characters, int budget) {
        List<T> kept = new ArrayList<>();
        int left = budget;
        for (T item : items) {
            int size = item == null ? 0 : characters.applyAsInt(item);
            if (size > left) {
                break;
            }
            left -= size;
            kept.add(item);
        }
        return kept;
    }

    private TemplateCache.Prepared prepare(RenderCommand command) throws RenderFailure {
        try {
            if (command.bundlePrefix() != null) {
                return StorageRetry.call(command.storageRetryMs(), "load the template",
                        () -> templates.get(command.bundlePrefix()));
            }
            return templates.inline(command.projectId(),
                    command.inlineHtml() != null ? command.inlineHtml() : storedHtml(command));
        } catch (TemplateException e) {
            throw new RenderFailure(ErrorCode.TEMPLATE_ERROR, false, "template does not compile: " + e.getMessage(), e);
        }
    }

    /** A large inline template, stored by the API under {@code inlineHtmlRef}. */
    private String storedHtml(RenderCommand command) throws RenderFailure {
        byte[] bytes = StorageRetry.call(command.storageRetryMs(), "load the template",
                () -> storage.get(command.inlineHtmlRef()));
        if (bytes == null) {
            throw new RenderFailure(ErrorCode.INTERNAL_ERROR, false, "the job's template is no longer stored", null);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private Map<String, Object> payload(RenderCommand command) throws RenderFailure {
        if (command.payloadRef() == null) {
            return command.payload() == null ? Map.of() : command.payload();
        }
        byte[] bytes = StorageRetry.call(command.storageRetryMs(), "load the payload",
                () -> storage.get(command.payloadRef()));
        if (bytes == null) {
            throw new RenderFailure(ErrorCode.INTERNAL_ERROR, false, "the job's payload is no longer stored", null);
        }
        try {
            return json.readValue(bytes, MAP);
        } catch (IOException e) {
            throw new RenderFailure(ErrorCode.INTERNAL_ERROR, false, "the job's payload is not readable JSON", e);
        }
    }

    /**
     * The PDF's page count, checked against the caps before anything else is done with it: more pages than the cap
     * (Chromium printed at most one more, {@link PageCap}) or a page larger than {@code max-page-inches} fail the
     * job with {@code output_too_large}.
     */
    private int checkPages(byte[] pdf) throws RenderFailure {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            int pages = document.getNumberOfPages();
            if (pages > maxPages) {
                throw new RenderFailure(ErrorCode.OUTPUT_TOO_LARGE, false,
                        "the document has more than " + maxPages + " pages, the limit", null);
            }
            for (int page = 0; page < pages; page++) {
                PDRectangle box = document.getPage(page).getMediaBox();
                double widthInches = box.getWidth() / POINTS_PER_INCH;
                double heightInches = box.getHeight() / POINTS_PER_INCH;
                if (Math.max(widthInches, heightInches) > maxPageInches) {
                    throw new RenderFailure(ErrorCode.OUTPUT_TOO_LARGE, false, String.format(Locale.ROOT,
                            "page %d is %.1f × %.1f inches, larger than the limit of %s inches a side", page + 1,
                            widthInches, heightInches, BigDecimal.valueOf(maxPageInches).stripTrailingZeros()
                                    .toPlainString()),
                            null);
                }
            }
            return pages;
        } catch (IOException e) {
            LOG.warn("Chromium produced an unreadable PDF", e);
            throw new RenderFailure(ErrorCode.INTERNAL_ERROR, true, "the PDF could not be read back", e);
        }
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static Map<String, Long> newTimings() {
        return new LinkedHashMap<>();
    }
}
