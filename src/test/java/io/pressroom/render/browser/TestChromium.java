package io.pressroom.render.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.text.PDFTextStripper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.configuration.MemorySize;

/** Pools over the real Chromium with test-sized limits, and helpers to read the PDFs they make. */
public final class TestChromium {

    static final Path BENCH = Path.of("/work/shared/bench");

    private TestChromium() {
    }

    /** Chromium settings as in production, except the ones a test changes. */
    public record Config(int concurrency, int restartAfterRenders, long maxOutputBytes, Duration navigationTimeout,
            String executablePath, Optional<Boolean> osSandbox)
            implements
                PressroomConfig.Chromium {

        public static Config defaults() {
            return new Config(2, 200, 50L << 20, Duration.ofSeconds(20), "/usr/lib/chromium/chromium",
                    Optional.of(false));
        }

        Config concurrency(int value) {
            return new Config(value, restartAfterRenders, maxOutputBytes, navigationTimeout, executablePath, osSandbox);
        }

        Config restartAfterRenders(int value) {
            return new Config(concurrency, value, maxOutputBytes, navigationTimeout, executablePath, osSandbox);
        }

        Config maxOutputBytes(long value) {
            return new Config(concurrency, restartAfterRenders, value, navigationTimeout, executablePath, osSandbox);
        }

        Config navigationTimeout(Duration value) {
            return new Config(concurrency, restartAfterRenders, maxOutputBytes, value, executablePath, osSandbox);
        }

        /** Chromium started through another program (a wrapper), with the OS sandbox setting given. */
        Config executable(String path, Optional<Boolean> sandbox) {
            return new Config(concurrency, restartAfterRenders, maxOutputBytes, navigationTimeout, path, sandbox);
        }

        @Override
        public int previewConcurrency() {
            return 0; // the pool's own tests bound every caller by concurrency
        }

        @Override
        public int maxPages() {
            return 2000; // checked by the render worker, not the pool
        }

        @Override
        public double maxPageInches() {
            return 100; // checked by the render worker, not the pool
        }

        @Override
        public double maxPreviewMegapixels() {
            return 16; // used by the render worker, not the pool
        }

        @Override
        public Optional<MemorySize> rasterMemory() {
            return Optional.empty(); // used by the render worker, not the pool
        }

        @Override
        public Optional<List<String>> extraArgs() {
            return Optional.empty();
        }

        @Override
        public Duration launchTimeout() {
            return Duration.ofSeconds(20);
        }

        @Override
        public Duration protocolTimeout() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Duration drainTimeout() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Duration heartbeatInterval() {
            return Duration.ofSeconds(5);
        }

        @Override
        public Duration maxRenderTimeout() {
            return Duration.ofSeconds(120);
        }

        @Override
        public Duration cleanupTimeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public Duration healthTimeout() {
            return Duration.ofSeconds(10);
        }
    }

    public static BrowserPool pool(Config config) {
        return new BrowserPool(config, new SimpleMeterRegistry());
    }

    static RenderRequest html(String html) {
        return new RenderRequest("job-test", html, Map.of(), RenderOptions.defaults(30_000));
    }

    /** Closes a pool from a test outside this package. */
    public static void close(BrowserPool pool) {
        pool.close();
    }

    public static RenderRequest bench(String file, RenderOptions options) throws IOException {
        return new RenderRequest("job-" + file, Files.readString(BENCH.resolve(file), StandardCharsets.UTF_8),
                Map.of(), options);
    }

    /** Text of each page. */
    static List<String> pages(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            List<String> pages = new ArrayList<>();
            PDFTextStripper stripper = new PDFTextStripper();
            for (int i = 1; i <= document.getNumberOfPages(); i++) {
                stripper.setStartPage(i);
                stripper.setEndPage(i);
                pages.add(stripper.getText(document));
            }
            return pages;
        }
    }

    static PDPage firstPage(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return document.getPage(0);
        }
    }

    /** Chromium processes whose command line names this profile directory. */
    static List<ProcessHandle> processesUsing(Path profile) {
        String flag = "--user-data-dir=" + profile;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(flag)).orElse(false))
                .toList();
    }

    /** Chromium's renderer processes under {@code browserPid}, found in /proc (zygote children rewrite their title). */
    static List<ProcessHandle> renderers(long browserPid) {
        return ProcessHandle.of(browserPid).orElseThrow().descendants()
                .filter(process -> commandLine(process).contains("--type=renderer")).toList();
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // it ended meanwhile
        }
    }
}
