package io.pressroom.render.browser;

import java.util.ArrayList;
import java.util.List;

/**
 * The renderer's Chromium flags, for the benchmark's bare Chromium ({@code io.pressroom.bench}): the same list
 * {@link ChromiumProcess} starts with, and {@code --no-sandbox} where the renderer adds it by default (as root).
 */
public final class ChromiumFlags {

    private ChromiumFlags() {
    }

    /** {@link ChromiumProcess#FLAGS}, plus {@code --no-sandbox} when this JVM runs as root. */
    public static List<String> renderersFlags() {
        List<String> flags = new ArrayList<>(ChromiumProcess.FLAGS);
        if (ChromiumProcess.runsAsRoot()) {
            flags.add("--no-sandbox");
        }
        return flags;
    }
}
