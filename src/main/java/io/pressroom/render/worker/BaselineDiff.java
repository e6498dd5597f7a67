package io.pressroom.render.worker;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import io.pressroom.contract.RenderEvent;
import io.pressroom.render.browser.RenderFailure;

/**
 * A render compared with its baseline page by page (issue 15): both PDFs rasterized by PDFBox at {@link #DPI}, one
 * page of each at a time so memory stays at three page images whatever the page count, each pair compared by
 * {@link PixelDiff}, and the difference image of every compared page handed to the caller to store. A page only one
 * document has is compared with nothing: all of it is changed. Only the first {@link #MAX_PAGES} pages are compared.
 */
final class BaselineDiff {

    /** Both documents are rasterized at 72 DPI (an A4 page is 595 × 842 pixels): enough to see a change. */
    static final float DPI = 72;
    /** The most pages compared, and difference images stored, per job. */
    static final int MAX_PAGES = 50;

    private BaselineDiff() {
    }

    /** Why there is no comparison: the diff that says so. */
    static RenderEvent.Diff unavailable(int pageCount, String why) {
        return new RenderEvent.Diff(pageCount, 0, 0, false, DPI, PixelDiff.TOLERANCE, why, null);
    }

    /**
     * Compares {@code pdf} with {@code baseline}; {@code maxPixels} bounds one page image (a larger page is
     * rasterized, in both documents, at the lower resolution that fits). A document PDFBox cannot open (a
     * password-protected one) gives an unavailable diff.
     */
    static RenderEvent.Diff compare(byte[] pdf, byte[] baseline, double maxPixels, PageImages images,
            PageImages.Store store) throws RenderFailure {
        try (PDDocument current = Loader.loadPDF(pdf)) {
            int pageCount = current.getNumberOfPages();
            try (PDDocument before = Loader.loadPDF(baseline)) {
                return compare(current, before, maxPixels, images, store);
            } catch (IOException e) {
                return unavailable(pageCount, "the baseline PDF cannot be read (is it password-protected?)");
            }
        } catch (IOException e) {
            return unavailable(0, "the PDF cannot be read (is it password-protected?)");
        }
    }

    private static RenderEvent.Diff compare(PDDocument current, PDDocument before, double maxPixels,
            PageImages images, PageImages.Store store) throws IOException, RenderFailure {
        int pages = current.getNumberOfPages();
        int baselinePages = before.getNumberOfPages();
        int compared = Math.min(Math.max(pages, baselinePages), MAX_PAGES);
        PDFRenderer currentRenderer = new PDFRenderer(current);
        PDFRenderer beforeRenderer = new PDFRenderer(before);
        List<RenderEvent.DiffPage> results = new ArrayList<>();
        for (int index = 0; index < compared; index++) {
            float dpi = Math.min(dpi(current, index, maxPixels), dpi(before, index, maxPixels));
            long pixels = Math.max(pixels(current, index, dpi), pixels(before, index, dpi));
            try (PageImages.Reservation reserved = images.reserve(pixels, 3)) { // both pages and the difference
                BufferedImage page = index < pages ? currentRenderer.renderImageWithDPI(index, dpi, ImageType.RGB)
                        : null;
                BufferedImage old = index < baselinePages
                        ? beforeRenderer.renderImageWithDPI(index, dpi, ImageType.RGB)
                        : null;
                PixelDiff.Result result = PixelDiff.compare(page, old, PixelDiff.TOLERANCE, true);
                PageImages.store(index + 1, result.image(), store);
                results.add(new RenderEvent.DiffPage(index + 1, result.changedPixels(), result.totalPixels()));
            }
        }
        return new RenderEvent.Diff(pages, baselinePages, compared, Math.max(pages, baselinePages) > MAX_PAGES, DPI,
                PixelDiff.TOLERANCE, null, results);
    }

    /** {@link #DPI}, or less when the page would have more than {@code maxPixels} pixels; DPI for a missing page. */
    private static float dpi(PDDocument document, int index, double maxPixels) {
        return index < document.getNumberOfPages()
                ? PageImages.dpi(document.getPage(index).getCropBox(), DPI, maxPixels)
                : DPI;
    }

    /** The page's pixels at {@code dpi}; none for a missing page. */
    private static long pixels(PDDocument document, int index, float dpi) {
        return index < document.getNumberOfPages() ? PageImages.pixels(document.getPage(index).getCropBox(), dpi) : 0;
    }
}
