package io.pressroom.render.worker;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * PNG previews of a PDF's pages, rasterized by PDFBox from the PDF itself, so a preview shows exactly what the PDF
 * holds. 96 DPI: an A4 page is 794 × 1123 pixels; a page that would have more than the pixel cap at 96 DPI is
 * previewed at the resolution that fits (a 100 × 100 inch poster at 40 DPI under 16 megapixels), so that a page
 * size chosen by a template's CSS cannot make the renderer allocate gigabytes.
 */
final class PagePreviews {

    static final float DPI = 96;
    /** Previews are made for the first pages only: enough to show a document, bounded in time and storage. */
    static final int MAX_PAGES = 50;

    private PagePreviews() {
    }

    /** PNGs of the first {@code limit} pages (at most {@link #MAX_PAGES}). */
    static List<byte[]> render(byte[] pdf, double maxPixels, int limit) throws IOException {
        List<byte[]> pages = new ArrayList<>();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFRenderer renderer = new PDFRenderer(document);
            int count = Math.min(document.getNumberOfPages(), Math.min(limit, MAX_PAGES));
            for (int page = 0; page < count; page++) {
                BufferedImage image = renderer.renderImageWithDPI(page, dpi(document.getPage(page), maxPixels),
                        ImageType.RGB);
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(image, "png", png);
                pages.add(png.toByteArray());
            }
        }
        return pages;
    }

    /** 96 DPI, or less when the page would have more than {@code maxPixels} pixels at 96. */
    static float dpi(PDPage page, double maxPixels) {
        PDRectangle box = page.getCropBox();
        double squareInches = (box.getWidth() / 72.0) * (box.getHeight() / 72.0);
        if (squareInches * DPI * DPI <= maxPixels) {
            return DPI;
        }
        return (float) Math.sqrt(maxPixels / squareInches);
    }
}
