package io.pressroom.render.browser;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.ruiyun.jvppeteer.api.core.BrowserContext;
import com.ruiyun.jvppeteer.api.core.CDPSession;
import com.ruiyun.jvppeteer.api.core.Dialog;
import com.ruiyun.jvppeteer.api.core.Page;
import com.ruiyun.jvppeteer.api.core.Request;
import com.ruiyun.jvppeteer.api.events.ConnectionEvents;
import com.ruiyun.jvppeteer.api.events.PageEvents;
import com.ruiyun.jvppeteer.cdp.core.CdpPage;
import com.ruiyun.jvppeteer.cdp.entities.ConsoleMessage;
import com.ruiyun.jvppeteer.cdp.entities.ConsoleMessageType;
import com.ruiyun.jvppeteer.cdp.events.LifecycleEvent;

/**
 * A page kept open between renders. Each slot lives in its own incognito browser context, so renders running at
 * the same time share no cookies, storage or cache. One render after another on a slot share nothing either: each
 * gets a fresh document on an origin of its own (see {@link BrowserPool}), so storage, caches and
 * {@code sessionStorage} are out of reach of the next one; cookies cannot be set at all (the one store that spans
 * origins of a site); {@code window.name} is cleared at the start of every document, and the history is cut to one
 * entry after every render. Page events go to the render using the slot, or nowhere between renders.
 */
final class PageSlot {

    /**
     * Runs first in every document and frame: the tab's name outlives same-site navigations, so each document starts
     * without the previous one's; and cookies are off ({@code document.cookie} through DevTools, the Cookie Store API
     * here, which that switch does not cover).
     */
    private static final String NEW_DOCUMENT = "window.name = ''; delete window.cookieStore;"
            + " delete window.CookieStore; delete window.CookieChangeEvent;";

    private final ChromiumProcess chromium;
    private final BrowserContext context;
    private final CDPSession client;
    private volatile RenderRun current;
    /** The origin of the last render, whose document stays until the next render navigates away from it. */
    private String lastOrigin;
    private final String mainFrame;
    /** The host of the loaded document when no script has ever run in it (see {@link #scriptFreeHost}). */
    private volatile String scriptFreeHost;
    /*
     * What the page's emulation is set to, as last confirmed by Chromium (null: not known, as on a new page or after a
     * call that failed): a setting already in force is not sent again. Emulation settings belong to the page and
     * outlive its documents. Only the render thread or, between renders, the clean-up thread touches them.
     */
    private volatile Boolean scriptDisabled;
    private volatile String media;
    private final Set<String> loads = new HashSet<>(); // loader ids whose document has loaded, since the last navigate
    private String awaitedLoader;
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
    private volatile boolean broken;
    private final CountDownLatch crashedOrClosed = new CountDownLatch(1);
    private final AtomicBoolean disposed = new AtomicBoolean();

    private PageSlot(ChromiumProcess chromium, BrowserContext context, Page page) {
        this.chromium = chromium;
        this.context = context;
        this.client = ((CdpPage) page).client();
        page.on(PageEvents.Request, (Consumer<Request>) this::onRequest);
        page.on(PageEvents.Console, (Consumer<ConsoleMessage>) message -> {
            RenderRun run = current;
            if (run != null && message.type() == ConsoleMessageType.error) {
                run.consoleError(message.text());
            }
        });
        page.on(PageEvents.PageError, (Consumer<Throwable>) error -> {
            RenderRun run = current;
            if (run != null) {
                run.consoleError("Uncaught " + error.getMessage());
            }
        });
        // alert(), confirm() and prompt() would block the page until someone answers; a beforeunload prompt would
        // keep the page from leaving, so that one is accepted
        page.on(PageEvents.Dialog, (Consumer<Dialog>) dialog -> client.send("Page.handleJavaScriptDialog",
                Cdp.params("accept", "beforeunload".equals(dialog.type())), null, false));
        this.mainFrame = page.mainFrame().id();
        // A navigation the template starts before its load event stops the document's loading, and refusing that
        // navigation does not resume it: no load event ever comes, only network idle. Whichever comes first.
        client.on(ConnectionEvents.Page_lifecycleEvent, (Consumer<LifecycleEvent>) event -> {
            if (("load".equals(event.getName()) || "networkIdle".equals(event.getName()))
                    && mainFrame.equals(event.getFrameId())) {
                loadFired(event.getLoaderId());
            }
        });
        page.on(PageEvents.Error, ignored -> gone(new IllegalStateException("the page crashed")));
        page.on(PageEvents.Close, ignored -> gone(new IllegalStateException("the page was closed")));
    }

    /** A new incognito context with one page whose every request is intercepted. */
    static PageSlot open(ChromiumProcess chromium) {
        BrowserContext context = chromium.browser().createBrowserContext();
        try {
            Page page = context.newPage();
            CDPSession client = ((CdpPage) page).client();
            client.send("Inspector.enable"); // else no Inspector.targetCrashed when it crashes
            client.send("Page.addScriptToEvaluateOnNewDocument", Cdp.params("source", NEW_DOCUMENT));
            // cookies are the one store that spans the origins of a site: a template cannot set any
            client.send("Emulation.setDocumentCookieDisabled", Cdp.params("disabled", true));
            page.setRequestInterception(true);
            page.setCacheEnabled(false);
            return new PageSlot(chromium, context, page);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    ChromiumProcess chromium() {
        return chromium;
    }

    CDPSession client() {
        return client;
    }

    boolean broken() {
        return broken;
    }

    /**
     * Whether the page crashed or was closed, waiting a little for the news: a pending call can fail (its execution
     * context destroyed) before the crash event arrives.
     */
    boolean brokenWithin(long ms) throws InterruptedException {
        return broken || crashedOrClosed.await(ms, TimeUnit.MILLISECONDS);
    }

    void begin(RenderRun run) {
        current = run;
    }

    /**
     * The host of the loaded document if it was loaded with script off and has only ever held documents that can
     * neither run script nor load anything ({@link StaticHtml}); null otherwise. Such a document's window has never
     * run a line of script, so another static document may be set into it ({@link #setContent}) instead of
     * navigating: nothing can have been left in it, and the new document could not read it anyway.
     */
    String scriptFreeHost() {
        return scriptFreeHost;
    }

    /** Records what the render that just loaded its document left in the page. */
    void loaded(String host, boolean scriptRan) {
        scriptFreeHost = scriptRan ? null : host;
    }

    /** Replaces the document's content in place (no navigation); only for {@link #scriptFreeHost} pages. */
    void setContent(String html, long timeoutMs) {
        scriptFreeHost = null; // until the render says what it left
        client.send("Page.setDocumentContent", Cdp.params("frameId", mainFrame, "html", html),
                (int) Math.max(1, timeoutMs), true);
    }

    /**
     * Starts a navigation and returns what completes when that document has loaded (see the lifecycle listener), or
     * fails when the page crashes or is closed under it. Events are matched by loader id: a late one from the
     * previous document must not count.
     */
    CompletableFuture<Void> navigate(String url, long timeoutMs) {
        scriptFreeHost = null; // until the render says what it left
        CompletableFuture<Void> load = new CompletableFuture<>();
        synchronized (loads) {
            loaded = load;
            awaitedLoader = null;
            loads.clear();
        }
        if (broken) {
            load.completeExceptionally(new IllegalStateException("the page is gone"));
            return load;
        }
        JsonNode result = client.send("Page.navigate", Cdp.params("url", url), (int) Math.max(1, timeoutMs), true);
        String error = result.path("errorText").asText("");
        if (!error.isEmpty()) {
            throw new IllegalStateException("navigation failed: " + error);
        }
        synchronized (loads) {
            awaitedLoader = result.path("loaderId").asText();
            if (loads.contains(awaitedLoader)) {
                load.complete(null); // fired before Page.navigate answered
            }
        }
        return load;
    }

    /**
     * Makes the slot ready for another render, after one on {@code origin}: stops script in the document left
     * behind (its timers and handlers wait for nothing), cuts the history to that document's entry, and clears the
     * storage of the render before it, whose document the last render navigated away from.
     * <p>
     * The next render navigates straight from this document to its own: each navigation costs Chromium about
     * 50-70 ms of CPU, whatever the target, so a parking navigation between renders (an empty document, or
     * {@code about:blank}, which also cost a renderer process per render) doubled that (docs/performance.md).
     * What the document left here could still do while it is left does not reach the next render: its storage is
     * its own origin's, it cannot set cookies, and {@code window.name} is cleared at the start of the next document.
     */
    void reset(String origin, long timeoutMs) throws Exception {
        current = null;
        disableScript(true, timeoutMs);
        client.send("Page.resetNavigationHistory", null, (int) timeoutMs, true); // history.length tells nothing
        String previous = lastOrigin;
        lastOrigin = origin;
        if (previous != null && !previous.equals(origin)) {
            client.send("Storage.clearDataForOrigin", Cdp.params("origin", previous, "storageTypes", "all"),
                    (int) timeoutMs, true);
        }
    }

    /**
     * Turns script in the page off or on ({@code Emulation.setScriptExecutionDisabled}), unless it already is: a
     * static document printed after another one needs no call at all, before or after its render.
     */
    void disableScript(boolean disabled, long timeoutMs) {
        if (Boolean.valueOf(disabled).equals(scriptDisabled)) {
            return;
        }
        scriptDisabled = null; // unknown until Chromium confirms
        client.send("Emulation.setScriptExecutionDisabled", Cdp.params("value", disabled), (int) timeoutMs, true);
        scriptDisabled = disabled;
    }

    /** Sets the CSS media the document is laid out for ({@code Emulation.setEmulatedMedia}), unless it already is. */
    void emulateMedia(String media, long timeoutMs) {
        if (media.equals(this.media)) {
            return;
        }
        this.media = null; // unknown until Chromium confirms
        client.send("Emulation.setEmulatedMedia", Cdp.params("media", media), (int) timeoutMs, true);
        this.media = media;
    }

    /** Closes the context and its page; what was running in it stops, a hung renderer included. Once only. */
    void dispose(long timeoutMs) {
        broken = true;
        current = null;
        if (disposed.compareAndSet(false, true)) {
            chromium.disposeContext(context.id(), timeoutMs);
        }
    }

    private void onRequest(Request request) {
        RenderRun run = current;
        if (run != null) {
            run.sandbox().handle(request);
        } else {
            BundleSandbox.refuseUnrecorded(request); // between renders nothing else may load
        }
    }

    private void loadFired(String loaderId) {
        synchronized (loads) {
            loads.add(loaderId);
            if (loaderId.equals(awaitedLoader)) {
                loaded.complete(null);
            }
        }
    }

    /** Its browser died: the render on it ends now, as when the page crashes. */
    void lost() {
        gone(new IllegalStateException("the browser died"));
    }

    private void gone(Exception why) {
        broken = true;
        crashedOrClosed.countDown();
        loaded.completeExceptionally(why);
        RenderRun run = current;
        if (run != null) {
            run.abort();
        }
    }
}
