package io.pressroom.render.worker;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

import javax.imageio.ImageIO;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.pdfbox.pdmodel.common.PDRectangle;

import io.pressroom.common.Scratch;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.ErrorCode;
import io.pressroom.render.browser.RenderFailure;

/**
 * The page images PDFBox rasterizes (PNG previews, baseline diffs): the renderer's largest allocations, since a page
 * at the pixel cap ({@code max-preview-megapixels}, 16 by default) is a 64 MB image and a diff holds three. Two rules
 * keep them inside the heap whatever a template prints:
 * <ul>
 * <li>a page's PNG is written to a temporary file and stored from there, one page at a time; before, a job's 50
 * previews were all held in memory until stored, and a template of 40 × 40 inch pages filled with noise (44 MB a PNG)
 * ran the renderer out of heap on every attempt;</li>
 * <li>the pixels being rasterized at once, over all the renderer's threads, stay within
 * {@code pressroom.chromium.raster-memory} (a quarter of the heap unless set): a page waits until its images fit. A
 * page larger than the whole budget takes all of it, so it waits for a quiet moment rather than forever.</li>
 * </ul>
 * Counted in KiB so that the budget fits a {@link Semaphore}'s permits.
 */
@ApplicationScoped
public class PageImages {

    /** Where one page's PNG goes: it is a temporary file, deleted once this returns. */
    @FunctionalInterface
    interface Store {
        void put(int page, Path png) throws RenderFailure;
    }

    /** What one page's images hold, given back when closed. */
    interface Reservation extends AutoCloseable {
        @Override
        void close();
    }

    private static final long KIB = 1024;
    /** {@link BufferedImage#TYPE_INT_RGB}, what PDFBox rasterizes to: four bytes a pixel. */
    private static final long BYTES_PER_PIXEL = 4;

    private final int capacity;
    private final Semaphore budget;

    @Inject
    public PageImages(PressroomConfig config) {
        this(config.chromium().rasterMemory().map(size -> size.asLongValue())
                .orElseGet(() -> Runtime.getRuntime().maxMemory() / 4));
    }

    PageImages(long bytes) {
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / KIB));
        this.budget = new Semaphore(capacity, true);
    }

    /** Waits until {@code images} images of {@code pixels} each fit the budget (all of it for a larger page). */
    Reservation reserve(long pixels, int images) throws RenderFailure {
        long kib = (pixels * BYTES_PER_PIXEL * images + KIB - 1) / KIB;
        int permits = (int) Math.max(1, Math.min(kib, capacity));
        try {
            budget.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderFailure(ErrorCode.INTERNAL_ERROR, true, "interrupted while waiting to rasterize a page", e);
        }
        return () -> budget.release(permits);
    }

    /** The budget's KiB that no page holds now. */
    int availableKib() {
        return budget.availablePermits();
    }

    /** Writes {@code image} as a PNG to a temporary file, hands it to {@code store} and deletes it; its bytes. */
    static long store(int page, BufferedImage image, Store store) throws IOException, RenderFailure {
        Path png = Files.createTempFile(Scratch.directory(), "page-", ".png");
        try {
            if (!ImageIO.write(image, "png", png.toFile())) {
                throw new IOException("no PNG writer");
            }
            long bytes = Files.size(png);
            store.put(page, png);
            return bytes;
        } finally {
            Files.deleteIfExists(png);
        }
    }

    /** {@code dpi}, or less when a page of {@code box} would have more than {@code maxPixels} pixels at it. */
    static float dpi(PDRectangle box, float dpi, double maxPixels) {
        double squareInches = (box.getWidth() / 72.0) * (box.getHeight() / 72.0);
        if (squareInches * dpi * dpi <= maxPixels) {
            return dpi;
        }
        return (float) Math.sqrt(maxPixels / squareInches);
    }

    /** The pixels of a page of {@code box} rasterized at {@code dpi}, as PDFBox counts them. */
    static long pixels(PDRectangle box, float dpi) {
        float scale = dpi / 72f;
        return Math.max(1, (long) Math.floor(box.getWidth() * scale))
                * Math.max(1, (long) Math.floor(box.getHeight() * scale));
    }
}
