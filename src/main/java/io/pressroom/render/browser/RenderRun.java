package io.pressroom.render.browser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ruiyun.jvppeteer.api.core.CDPSession;
import com.ruiyun.jvppeteer.exception.ProtocolException;

/**
 * One render on one page slot, on the caller's thread: load the bundle, wait as asked, print. Every DevTools call
 * gets at most what is left of the budget; when the budget runs out the pool's watchdog closes the page under this
 * run (see {@link BrowserPool}), which fails whatever call is pending.
 */
final class RenderRun {

    enum State {
        RUNNING,
        FINISHED,
        EXPIRED,
        CANCELLED
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MS = 50;
    private static final int CHUNK_BYTES = 1 << 20;
    private static final int MAX_CONSOLE_ERRORS = 100;
    /** Calls of {@code Page.printToPDF} before a lost error reply counts as the error (see {@link #print}). */
    private static final int PRINT_TRIES = 3;
    /** How much of the budget a call's timer may leave when it fires: both clocks are read to the millisecond. */
    private static final long CLOCK_SLACK_MS = 20;

    private final PageSlot slot;
    private final RenderRequest request;
    private final BundleSandbox sandbox;
    private final String host;
    /** The document can neither run script nor load anything ({@link StaticHtml}): it prints with script off. */
    private final boolean staticDocument;
    /** The page holds the last static document on {@link #host}: the content is replaced, nothing navigates. */
    private final boolean inPlace;
    private final long budgetMs;
    private final long navigationMs;
    private final long maxOutputBytes;
    private final long start = System.nanoTime();
    private final List<String> consoleErrors = new ArrayList<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private Thread thread;
    private boolean interrupted;

    RenderRun(PageSlot slot, RenderRequest request, String host, boolean staticDocument, boolean inPlace,
            long budgetMs, long navigationMs, long maxOutputBytes) {
        this.slot = slot;
        this.request = request;
        this.host = host;
        this.staticDocument = staticDocument;
        this.inPlace = inPlace;
        this.sandbox = new BundleSandbox(host, request);
        this.budgetMs = budgetMs;
        this.navigationMs = navigationMs;
        this.maxOutputBytes = maxOutputBytes;
    }

    BundleSandbox sandbox() {
        return sandbox;
    }

    long budgetMs() {
        return budgetMs;
    }

    /** The watchdog's side of the race with the end of {@link #execute()}: exactly one of them wins. */
    boolean expire() {
        return state.compareAndSet(State.RUNNING, State.EXPIRED);
    }

    boolean expired() {
        return state.get() == State.EXPIRED;
    }

    /**
     * Whether {@code e} is a DevTools call that ran out of time with the budget: each call's timeout is what is left
     * of it ({@link #call()}), so its timer and the watchdog end the same budget, and either may fire first.
     */
    boolean spentBy(Exception e) {
        return e instanceof com.ruiyun.jvppeteer.exception.TimeoutException && remaining() <= CLOCK_SLACK_MS;
    }

    /** The job was cancelled: like the watchdog, exactly one of this and the end of the render wins. */
    boolean cancel() {
        return state.compareAndSet(State.RUNNING, State.CANCELLED);
    }

    boolean cancelled() {
        return state.get() == State.CANCELLED;
    }

    synchronized void consoleError(String text) {
        if (consoleErrors.size() < MAX_CONSOLE_ERRORS) {
            consoleErrors.add(text == null || text.length() <= 2000 ? text : text.substring(0, 2000));
        }
    }

    /**
     * Stops the render where it waits: a DevTools call, the load, a pause. jvppeteer's waits give up when their
     * thread is interrupted; only a call still pending when Chromium stops answering would otherwise sit out its
     * timeout (a crashed renderer never answers).
     */
    synchronized void abort() {
        if (thread != null && !interrupted) {
            interrupted = true;
            thread.interrupt();
        }
    }

    RenderResult execute() throws Exception {
        synchronized (this) {
            thread = Thread.currentThread();
        }
        try {
            return load();
        } finally {
            synchronized (this) {
                thread = null;
                if (interrupted) {
                    Thread.interrupted(); // ours: it must not reach the caller
                }
            }
        }
    }

    private RenderResult load() throws Exception {
        RenderOptions options = request.options();
        Map<String, Object> print = PrintParameters.of(options); // checked by the pool before it took a page
        slot.begin(this);
        CDPSession client = slot.client();
        boolean script = options.javascript() && !staticDocument;
        slot.disableScript(!script, call());
        slot.emulateMedia("screen".equalsIgnoreCase(options.emulateMedia()) ? "screen" : "print", call());

        long left = remaining();
        boolean navigationLimitBinds = navigationMs < left; // else the budget ends first: that is the failure
        long limit = Math.min(navigationMs, left);
        if (inPlace) {
            slot.setContent(request.html(), limit); // no navigation: a static document into a script-free page
        } else {
            try {
                slot.navigate(sandbox.documentUrl(), limit).get(limit, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw navigationLimitBinds ? RenderFailure.navigationTimeout(limit)
                        : RenderFailure.renderTimeout(budgetMs);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        slot.loaded(host, script);
        if (!blank(options.waitForSelector())) {
            waitUntilTrue("document.querySelector(" + JSON.writeValueAsString(options.waitForSelector()) + ") !== null");
        }
        if (!blank(options.waitForExpression())) {
            waitUntilTrue("Boolean(" + options.waitForExpression() + ")");
        }
        if (options.waitDelayMs() > 0) {
            pause(options.waitDelayMs());
        }
        nameIfUntitled();
        long loadMs = elapsedMs();

        byte[] pdf = print(client, print);
        if (!state.compareAndSet(State.RUNNING, State.FINISHED)) {
            throw RenderFailure.renderTimeout(budgetMs);
        }
        synchronized (this) {
            return new RenderResult(pdf, sandbox.blocked(), List.copyOf(consoleErrors), loadMs, elapsedMs() - loadMs);
        }
    }

    /**
     * Polls in the page's main world; a page that never gets there runs into the budget. An expression that throws,
     * or a context the template replaced, counts as not yet.
     */
    private void waitUntilTrue(String expression) throws Exception {
        while (true) {
            try {
                JsonNode result = slot.client().send("Runtime.evaluate", Cdp.params("expression", expression,
                        "returnByValue", true, "timeout", call()), call(), true);
                // null: an error reply whose message jvppeteer lost, which counts as not yet too
                if (result != null && result.path("result").path("value").asBoolean(false)) {
                    return;
                }
            } catch (ProtocolException e) {
                if (slot.broken()) {
                    throw e;
                }
            }
            pause(POLL_MS);
        }
    }

    private JsonNode printToPdf(CDPSession client, Map<String, Object> params) throws RenderFailure {
        try {
            return client.send("Page.printToPDF", params, call(), true);
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Page range") || message.contains("page range")) {
                throw pageRangesDoNotFit();
            }
            throw e;
        }
    }

    private RenderFailure pageRangesDoNotFit() {
        return RenderFailure.optionsRefusedByThePrint("pageRanges '" + request.options().pageRanges()
                + "' does not fit the document");
    }

    /** Gives a document without a title the request's (DevTools evaluation works with JavaScript off too). */
    private void nameIfUntitled() throws Exception {
        if (blank(request.title())) {
            return;
        }
        String expression = "document.title || (document.title = " + JSON.writeValueAsString(request.title()) + ")";
        try {
            slot.client().send("Runtime.evaluate", Cdp.params("expression", expression, "timeout", call()), call(),
                    true);
        } catch (ProtocolException e) {
            if (slot.broken()) {
                throw e;
            }
            // a document that cannot take a title keeps Chromium's default
        }
    }

    private byte[] print(CDPSession client, Map<String, Object> params) throws RenderFailure {
        // jvppeteer can lose an error reply's message and hand back null (it wakes the caller before it stores the
        // message; under load a quarter of replies, seen in tests): a null is always an error, so ask again for it
        JsonNode printed = null;
        for (int tries = 0; printed == null && tries < PRINT_TRIES; tries++) {
            printed = printToPdf(client, params);
        }
        if (printed == null && !blank(request.options().pageRanges())) {
            // the syntax was checked by the API: the one error left is a range beyond the document
            throw pageRangesDoNotFit();
        }
        if (printed == null || !printed.hasNonNull("stream")) {
            throw RenderFailure.crashed(new IllegalStateException("Page.printToPDF failed without saying why"));
        }
        String stream = printed.get("stream").asText();
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        try {
            while (true) {
                JsonNode chunk = client.send("IO.read", Cdp.params("handle", stream, "size", CHUNK_BYTES), call(),
                        true);
                String data = chunk.path("data").asText("");
                byte[] bytes = chunk.path("base64Encoded").asBoolean(false) ? Base64.getDecoder().decode(data)
                        : data.getBytes(StandardCharsets.ISO_8859_1);
                if (pdf.size() + (long) bytes.length > maxOutputBytes) {
                    throw RenderFailure.tooLarge(maxOutputBytes); // stop reading: never hold more than the limit
                }
                pdf.writeBytes(bytes);
                if (chunk.path("eof").asBoolean(false)) {
                    return pdf.toByteArray();
                }
            }
        } finally {
            client.send("IO.close", Cdp.params("handle", stream), null, false);
        }
    }

    private void pause(long ms) throws RenderFailure, InterruptedException {
        long left = remaining();
        if (left <= 0) {
            throw RenderFailure.renderTimeout(budgetMs);
        }
        Thread.sleep(Math.min(ms, left));
        if (remaining() <= 0) {
            throw RenderFailure.renderTimeout(budgetMs);
        }
    }

    /** Timeout for the next DevTools call: what is left of the budget, at least 1 ms. */
    private int call() throws RenderFailure {
        long left = remaining();
        if (left <= 0 || expired()) {
            throw RenderFailure.renderTimeout(budgetMs);
        }
        return (int) left;
    }

    private long remaining() {
        return budgetMs - elapsedMs();
    }

    private long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
