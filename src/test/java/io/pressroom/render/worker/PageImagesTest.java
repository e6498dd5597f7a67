package io.pressroom.render.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.imageio.ImageIO;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;

import io.pressroom.contract.ErrorCode;
import io.pressroom.render.browser.RenderFailure;

/**
 * Page images stay within the renderer's heap whatever a template prints: each page's PNG goes to storage from a
 * temporary file before the next page is rasterized, and the pixels rasterized at once stay within the budget.
 */
class PageImagesTest {

    private static final double MAX_PIXELS = 16_000_000;

    /** What a store saw of one page: its number, its image's size, the budget left while it was stored. */
    private record Seen(int page, int width, int height, long bytes, int availableKib, Path file) {
    }

    @Test
    void previewsAreStoredOnePageAtATimeAndTheirFilesDeleted() throws Exception {
        byte[] pdf = pdf(3, PDRectangle.A4);
        PageImages images = new PageImages(64L * 1024 * 1024);
        List<Seen> seen = new ArrayList<>();

        PagePreviews.Stored stored = PagePreviews.render(pdf, MAX_PIXELS, 50, images,
                (page, png) -> seen.add(seen(page, png, images)));

        assertThat(stored.pages()).isEqualTo(3);
        assertThat(seen).extracting(Seen::page).containsExactly(1, 2, 3);
        // A4 at 96 DPI: 793 × 1122 pixels, four bytes each, reserved only for the page being made
        int onePageKib = (int) ((793L * 1122 * 4 + 1023) / 1024);
        assertThat(seen).allSatisfy(page -> {
            assertThat(page.width()).isEqualTo(793);
            assertThat(page.height()).isEqualTo(1122);
            assertThat(page.availableKib()).isEqualTo(64 * 1024 - onePageKib);
            assertThat(page.file()).doesNotExist();
        });
        assertThat(stored.bytes()).isEqualTo(seen.stream().mapToLong(Seen::bytes).sum());
        assertThat(images.availableKib()).isEqualTo(64 * 1024);
    }

    @Test
    void aPageWaitsUntilItsImagesFitTheBudget() throws Exception {
        PageImages images = new PageImages(10L * 1024 * 1024); // 10 MiB: two A4 pages do not fit
        long a4 = PageImages.pixels(PDRectangle.A4, 96);

        PageImages.Reservation first = images.reserve(a4, 2); // 7 MB
        CompletableFuture<PageImages.Reservation> second = CompletableFuture.supplyAsync(() -> reserve(images, a4, 1));
        assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

        first.close();
        second.get(5, TimeUnit.SECONDS).close();
        assertThat(images.availableKib()).isEqualTo(10 * 1024);
    }

    @Test
    void aPageLargerThanTheWholeBudgetTakesAllOfItInsteadOfWaitingForever() throws Exception {
        PageImages images = new PageImages(1024 * 1024);

        try (PageImages.Reservation poster = images.reserve(16_000_000, 3)) {
            assertThat(images.availableKib()).isZero();
        }
        assertThat(images.availableKib()).isEqualTo(1024);
    }

    @Test
    void aPagesFileIsDeletedWhenItsStoreFails() throws Exception {
        List<Path> files = new ArrayList<>();
        BufferedImage image = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);

        assertThatThrownBy(() -> PageImages.store(1, image, (page, png) -> {
            files.add(png);
            throw new RenderFailure(ErrorCode.STORAGE_ERROR, true, "storage is down", null);
        })).isInstanceOf(RenderFailure.class);

        assertThat(files).hasSize(1);
        assertThat(files.get(0)).doesNotExist();
    }

    @Test
    void aWaitingPageGivesUpWhenItsRenderIsInterrupted() throws Exception {
        PageImages images = new PageImages(1024 * 1024);
        try (PageImages.Reservation all = images.reserve(16_000_000, 1)) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> images.reserve(1, 1)).isInstanceOf(RenderFailure.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.interrupted()).isTrue(); // the interrupt is kept for the caller
        }
        assertThat(images.availableKib()).isEqualTo(1024);
    }

    private static PageImages.Reservation reserve(PageImages images, long pixels, int count) {
        try {
            return images.reserve(pixels, count);
        } catch (RenderFailure e) {
            throw new IllegalStateException(e);
        }
    }

    private static Seen seen(int page, Path png, PageImages images) {
        try {
            BufferedImage image = ImageIO.read(png.toFile());
            return new Seen(page, image.getWidth(), image.getHeight(), Files.size(png), images.availableKib(), png);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pdf(int pages, PDRectangle size) throws IOException {
        try (PDDocument document = new PDDocument()) {
            for (int page = 0; page < pages; page++) {
                document.addPage(new PDPage(size));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }
}
