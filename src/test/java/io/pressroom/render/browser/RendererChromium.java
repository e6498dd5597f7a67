package io.pressroom.render.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the renderer starts Chromium and prints, for the benchmark's bare Chromium ({@code io.pressroom.bench}): the
 * same flags and the same {@code Page.printToPDF} parameters, read from the renderer's own code so the two stay
 * equal.
 */
public final class RendererChromium {

    private RendererChromium() {
    }

    /** {@link ChromiumProcess#FLAGS}, plus {@code --no-sandbox} when this JVM runs as root (as the renderer does). */
    public static List<String> flags() {
        List<String> flags = new ArrayList<>(ChromiumProcess.FLAGS);
        if (ChromiumProcess.runsAsRoot()) {
            flags.add("--no-sandbox");
        }
        return flags;
    }

    /** The renderer's {@code Page.printToPDF} parameters for A4 with backgrounds, the PDF returned as a stream. */
    public static Map<String, Object> a4PrintParameters() {
        return PrintParameters.of(RenderOptions.defaults(60_000));
    }
}
