package io.pressroom.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.ruiyun.jvppeteer.api.core.Browser;
import com.ruiyun.jvppeteer.api.core.CDPSession;
import com.ruiyun.jvppeteer.api.core.Page;
import com.ruiyun.jvppeteer.cdp.core.CdpPage;
import com.ruiyun.jvppeteer.cdp.core.Puppeteer;
import com.ruiyun.jvppeteer.cdp.entities.LaunchOptions;

import io.pressroom.render.browser.RendererChromium;
import io.pressroom.testing.stack.Stack;

/**
 * The limit: one Chromium started by jvppeteer with the renderer's executable and flags, one page per client that
 * is reused for every job: {@code setContent(html)}, then {@code Page.printToPDF} (A4, backgrounds, with the
 * renderer's parameters), the PDF read in full. No isolation between jobs, no storage, no messaging: what Chromium alone can
 * do.
 */
final class BareChromium implements AutoCloseable {

    private static final Map<String, Object> PRINT = RendererChromium.a4PrintParameters();
    private static final int CALL_MS = 120_000;

    private final Browser browser;
    private final Path profile;
    private final List<Page> pages = new ArrayList<>();

    private BareChromium(Browser browser, Path profile) {
        this.browser = browser;
        this.profile = profile;
    }

    static BareChromium launch(String executable) throws IOException {
        Path profile = Files.createTempDirectory("pressroom-bench-chromium-");
        List<String> args = new ArrayList<>(RendererChromium.flags());
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

    /**
     * One job of {@code client}: its page (opened on its first job) gets the html ({@code setContent}, which waits for
     * the load), then {@code Page.printToPDF} with the renderer's parameters, the PDF read from its stream in 1 MiB
     * chunks and the stream closed, as the renderer reads it. (jvppeteer's own {@code Page.pdf} is not used: on a reused
     * page it ran a 512 MB heap out within about 40 renders of the 21-page report, the heap after each collection
     * growing by 10-15 MB per render.)
     */
    byte[] render(int client, String html) throws Exception {
        Page page;
        synchronized (pages) {
            while (pages.size() <= client) {
                pages.add(browser.newPage());
            }
            page = pages.get(client);
        }
        page.setContent(html);
        CDPSession session = ((CdpPage) page).client();
        JsonNode printed = session.send("Page.printToPDF", new HashMap<>(PRINT), CALL_MS, true);
        if (printed == null || !printed.hasNonNull("stream")) {
            throw new IllegalStateException("Page.printToPDF answered " + printed);
        }
        String stream = printed.get("stream").asText();
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        try {
            while (true) {
                JsonNode chunk = session.send("IO.read", params("handle", stream, "size", 1 << 20), CALL_MS, true);
                String data = chunk.path("data").asText("");
                pdf.writeBytes(chunk.path("base64Encoded").asBoolean(false) ? Base64.getDecoder().decode(data)
                        : data.getBytes(StandardCharsets.ISO_8859_1));
                if (chunk.path("eof").asBoolean(false)) {
                    break;
                }
            }
        } finally {
            session.send("IO.close", params("handle", stream), null, false);
        }
        byte[] bytes = pdf.toByteArray();
        Pdf.check(bytes);
        return bytes;
    }

    // jvppeteer adds to the parameters it is given: a mutable map for every call
    private static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> params = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return params;
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
