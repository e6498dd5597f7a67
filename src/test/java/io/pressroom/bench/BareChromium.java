package io.pressroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.ruiyun.jvppeteer.api.core.Browser;
import com.ruiyun.jvppeteer.api.core.Page;
import com.ruiyun.jvppeteer.cdp.core.Puppeteer;
import com.ruiyun.jvppeteer.cdp.entities.LaunchOptions;
import com.ruiyun.jvppeteer.cdp.entities.PDFOptions;
import com.ruiyun.jvppeteer.cdp.entities.PaperFormats;

import io.pressroom.render.browser.ChromiumFlags;
import io.pressroom.testing.stack.Stack;

/**
 * The limit: one Chromium started by jvppeteer with the renderer's executable and flags, one page per client that
 * is reused for every job: {@code setContent(html)}, then {@code Page.printToPDF} (A4, backgrounds), the PDF read in
 * full. No isolation between jobs, no storage, no messaging: what Chromium alone can do.
 */
final class BareChromium implements AutoCloseable {

    private final Browser browser;
    private final Path profile;
    private final List<Page> pages = new ArrayList<>();

    private BareChromium(Browser browser, Path profile) {
        this.browser = browser;
        this.profile = profile;
    }

    static BareChromium launch(String executable) throws IOException {
        Path profile = Files.createTempDirectory("pressroom-bench-chromium-");
        List<String> args = new ArrayList<>(ChromiumFlags.renderersFlags());
        args.add("--user-data-dir=" + profile);
        LaunchOptions options = LaunchOptions.builder().executablePath(executable).ignoreAllDefaultArgs(true)
                .headless(false) // --headless=new is among the flags
                .args(args).timeout(60_000).protocolTimeout(120_000).build();
        return new BareChromium(Puppeteer.launch(options), profile);
    }

    long pid() {
        return browser.process().pid();
    }

    String version() throws IOException {
        return browser.version();
    }

    /** One job of {@code client}: its page (opened on its first job) gets the html and prints it. */
    byte[] render(int client, String html) throws Exception {
        Page page;
        synchronized (pages) {
            while (pages.size() <= client) {
                pages.add(browser.newPage());
            }
            page = pages.get(client);
        }
        page.setContent(html);
        PDFOptions options = new PDFOptions();
        options.setFormat(PaperFormats.a4);
        options.setPrintBackground(true);
        byte[] pdf = page.pdf(options);
        Pdf.check(pdf);
        return pdf;
    }

    @Override
    public void close() throws Exception {
        try {
            browser.close();
        } finally {
            Stack.deleteRecursively(profile);
        }
    }
}
