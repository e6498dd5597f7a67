package io.pressroom.render.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The pixel comparator on seeded random images: it counts exactly the pixels changed beyond the tolerance. */
class PixelDiffTest {

    private static final int RUNS = 40;

    @Test
    void countsExactlyThePixelsChangedBeyondTheTolerance() {
        long seed = Long.getLong("pressroom.test.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int run = 0; run < RUNS; run++) {
            String context = "seed " + seed + " (rerun with -Dpressroom.test.seed=" + seed + "), run " + run;
            int width = 1 + random.nextInt(120);
            int height = 1 + random.nextInt(120);
            BufferedImage before = randomImage(random, width, height);
            BufferedImage after = copy(before);
            int tolerance = random.nextInt(40);
            Set<Integer> changed = new HashSet<>();
            int edits = random.nextInt(width * height + 1);
            for (int i = 0; i < edits; i++) {
                int x = random.nextInt(width);
                int y = random.nextInt(height);
                int pixel = y * width + x;
                if (changed.contains(pixel)) {
                    continue; // changed already: a second edit could bring it back within the tolerance
                }
                boolean beyond = random.nextBoolean();
                int channel = random.nextInt(3) * 8;
                int value = (before.getRGB(x, y) >> channel) & 0xFF;
                int by = beyond ? tolerance + 1 + random.nextInt(255 - tolerance) : random.nextInt(tolerance + 1);
                int moved = value + by <= 255 ? value + by : value - by;
                if (moved < 0) {
                    continue; // neither way fits in 0..255
                }
                after.setRGB(x, y, (before.getRGB(x, y) & ~(0xFF << channel)) | moved << channel);
                if (beyond) {
                    changed.add(pixel);
                }
            }
            PixelDiff.Result result = PixelDiff.compare(after, before, tolerance, true);
            assertThat(result.changedPixels()).as(context).isEqualTo(changed.size());
            assertThat(result.totalPixels()).as(context).isEqualTo((long) width * height);
            for (int pixel : changed) {
                assertThat(result.image().getRGB(pixel % width, pixel / width)).as(context).isEqualTo(PixelDiff.RED);
            }
            assertThat(PixelDiff.compare(before, copy(before), 0, false).changedPixels()).as(context).isZero();
        }
    }

    @Test
    void thePixelsOnlyOnePageHasAreChanged() {
        long seed = Long.getLong("pressroom.test.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int run = 0; run < RUNS; run++) {
            String context = "seed " + seed + " (rerun with -Dpressroom.test.seed=" + seed + "), run " + run;
            int width = 1 + random.nextInt(80);
            int height = 1 + random.nextInt(80);
            int wider = width + random.nextInt(20);
            int taller = height + random.nextInt(20);
            BufferedImage small = randomImage(random, width, height);
            BufferedImage large = new BufferedImage(wider, taller, BufferedImage.TYPE_INT_RGB);
            large.getGraphics().drawImage(small, 0, 0, null);
            PixelDiff.Result result = PixelDiff.compare(small, large, PixelDiff.TOLERANCE, false);
            assertThat(result.totalPixels()).as(context).isEqualTo((long) wider * taller);
            assertThat(result.changedPixels()).as(context).isEqualTo((long) wider * taller - (long) width * height);
            // a page only one document has: all of it
            PixelDiff.Result alone = PixelDiff.compare(null, small, PixelDiff.TOLERANCE, true);
            assertThat(alone.changedPixels()).as(context).isEqualTo(alone.totalPixels())
                    .isEqualTo((long) width * height);
        }
    }

    @Test
    void unchangedPixelsAreFadedGrey() {
        int faded = PixelDiff.faded(0xFF000000); // black
        assertThat(faded & 0xFF).isEqualTo((faded >> 8) & 0xFF).isEqualTo((faded >> 16) & 0xFF).isBetween(180, 200);
        assertThat(PixelDiff.faded(0xFFFFFFFF) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    private static BufferedImage randomImage(Random random, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        copy.getGraphics().drawImage(image, 0, 0, null);
        return copy;
    }
}
