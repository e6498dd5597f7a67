package io.pressroom.render.worker;

import java.awt.image.BufferedImage;
import java.io.IOException;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import io.pressroom.render.browser.RenderFailure;

/**
 * PNG previews of a PDF's pages, rasterized by PDFBox from the PDF itself, so a preview shows exactly what the PDF
 * holds. 96 DPI: an A4 page is 793 × 1122 pixels; a page that would have more than the pixel cap at 96 DPI is
 * previewed at the resolution that fits (a 100 × 100 inch poster at 40 DPI under 16 megapixels), so that a page
 * size chosen by a template's CSS cannot make the renderer allocate gigabytes.
 */
final class PagePreviews {

    static final float DPI = 96;
    /** Previews are made for the first pages only: enough to show a document, bounded in time and storage. */
    static final int MAX_PAGES = 50;

    private PagePreviews() {
    }

    /** How many page previews were stored, and their bytes. */
    record Stored(int pages, long bytes) {
    }

    /**
     * PNGs of the first {@code limit} pages (at most {@link #MAX_PAGES}), each stored as soon as it is made
     * ({@link PageImages}): one page's image and no PNG in memory at a time.
     */
    static Stored render(byte[] pdf, double maxPixels, int limit, PageImages images, PageImages.Store store)
            throws IOException, RenderFailure {
        long bytes = 0;
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFRenderer renderer = new PDFRenderer(document);
            renderer.setSubsamplingAllowed(true); // an embedded image larger than the page's pixels is read smaller
            int count = Math.min(document.getNumberOfPages(), Math.min(limit, MAX_PAGES));
            for (int page = 0; page < count; page++) {
                PDRectangle box = document.getPage(page).getCropBox();
                float dpi = PageImages.dpi(box, DPI, maxPixels);
                try (PageImages.Reservation reserved = images.reserve(PageImages.pixels(box, dpi), 1)) {
                    BufferedImage image = renderer.renderImageWithDPI(page, dpi, ImageType.RGB);
                    bytes += PageImages.store(page + 1, image, store);
                }
            }
            return new Stored(count, bytes);
        }
    }

}
