package io.pressroom.render.worker;

import java.awt.image.BufferedImage;

/**
 * Compares two rasterized pages pixel by pixel. A pixel is changed when one of its red, green or blue values differs
 * by more than {@code tolerance} (out of 255): the same PDF rasterized twice is identical, but a re-render through
 * Chromium may move antialiased glyph edges by a few levels, which is not a change anyone can see. Where the pages
 * differ in size, the pixels of the larger one that the smaller lacks are changed. The difference image is the new
 * page faded to light grey with every changed pixel red.
 */
final class PixelDiff {

    /** The default per-channel tolerance: 16 of 255 levels, about 6 %. */
    static final int TOLERANCE = 16;
    static final int RED = 0xFFFF0000;

    /** What a comparison found; {@code image} is null when it was not asked for. */
    record Result(long changedPixels, long totalPixels, BufferedImage image) {
    }

    private PixelDiff() {
    }

    /**
     * Compares {@code page} (the new one) with {@code baseline}; either may be null (the page exists in one document
     * only: every pixel of the other is changed).
     */
    static Result compare(BufferedImage page, BufferedImage baseline, int tolerance, boolean withImage) {
        int width = Math.max(width(page), width(baseline));
        int height = Math.max(height(page), height(baseline));
        BufferedImage image = withImage ? new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB) : null;
        int[] newRow = new int[width];
        int[] oldRow = new int[width];
        int[] out = new int[width];
        long changed = 0;
        for (int y = 0; y < height; y++) {
            int newWidth = row(page, y, newRow);
            int oldWidth = row(baseline, y, oldRow);
            for (int x = 0; x < width; x++) {
                boolean inNew = x < newWidth;
                boolean inOld = x < oldWidth;
                boolean differs = inNew != inOld || inNew && differs(newRow[x], oldRow[x], tolerance);
                if (differs) {
                    changed++;
                    out[x] = RED;
                } else {
                    out[x] = faded(newRow[x]);
                }
            }
            if (image != null) {
                image.setRGB(0, y, width, 1, out, 0, width);
            }
        }
        return new Result(changed, (long) width * height, image);
    }

    static boolean differs(int a, int b, int tolerance) {
        return Math.abs(((a >> 16) & 0xFF) - ((b >> 16) & 0xFF)) > tolerance
                || Math.abs(((a >> 8) & 0xFF) - ((b >> 8) & 0xFF)) > tolerance
                || Math.abs((a & 0xFF) - (b & 0xFF)) > tolerance;
    }

    /** The pixel's grey level, lifted three quarters of the way to white. */
    static int faded(int rgb) {
        int grey = (((rgb >> 16) & 0xFF) * 299 + ((rgb >> 8) & 0xFF) * 587 + (rgb & 0xFF) * 114) / 1000;
        int light = 255 - (255 - grey) / 4;
        return 0xFF000000 | light << 16 | light << 8 | light;
    }

    /** Row {@code y} of {@code image} into {@code into}; the row's width, 0 when the image has no such row. */
    private static int row(BufferedImage image, int y, int[] into) {
        if (image == null || y >= image.getHeight()) {
            return 0;
        }
        image.getRGB(0, y, image.getWidth(), 1, into, 0, image.getWidth());
        return image.getWidth();
    }

    private static int width(BufferedImage image) {
        return image == null ? 0 : image.getWidth();
    }

    private static int height(BufferedImage image) {
        return image == null ? 0 : image.getHeight();
    }
}
