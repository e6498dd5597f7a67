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
 * the same time share no cookies, storage or cache; between two renders of one slot the page goes to an empty,
 * script-free document and its cookies and the last origin's storage are cleared (each render also gets an origin of
 * its own, see {@link BrowserPool}). Page events go to the render using the slot, or nowhere between renders.
 */
final class PageSlot {

    /** The path of the empty document a slot waits on between renders ({@link #reset}). */
    private static final String PARKED = "/parked";

    private final ChromiumProcess chromium;
    private final BrowserContext context;
    private final CDPSession client;
    private volatile RenderRun current;
    private volatile String parkedAt;
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
        String mainFrame = page.mainFrame().id();
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
            // the tab's name outlives same-site navigations: each document starts without the previous one's
            client.send("Page.addScriptToEvaluateOnNewDocument", Cdp.params("source", "window.name = '';"));
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
     * Starts a navigation and returns what completes when that document has loaded (see the lifecycle listener), or
     * fails when the page crashes or is closed under it. Events are matched by loader id: a late one from the
     * previous document must not count.
     */
    CompletableFuture<Void> navigate(String url, long timeoutMs) {
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
     * Makes the slot ready for another render: leaves the document for an empty one without script on the same
     * origin (the old document's timers, workers, requests and unload handlers end here, before the clean-up), then
     * clears cookies (a template may set them on the parent domain of its origin), the origin's storage and the
     * page's history.
     * <p>
     * Not {@code about:blank}: leaving the bundle's site for it and coming back made Chromium start a new renderer
     * process for nearly every render (about a second of CPU each, measured; docs/performance.md). Staying on the
     * site keeps the slot's renderer process, and each render still gets a fresh document, window and origin.
     */
    void reset(String origin, long timeoutMs) throws Exception {
        current = null;
        parkedAt = origin + PARKED;
        navigate(parkedAt, timeoutMs).get(timeoutMs, TimeUnit.MILLISECONDS);
        client.send("Network.clearBrowserCookies", null, (int) timeoutMs, true);
        client.send("Storage.clearDataForOrigin", Cdp.params("origin", origin, "storageTypes", "all"), (int) timeoutMs,
                true);
        client.send("Page.resetNavigationHistory", null, (int) timeoutMs, true); // history.length tells nothing
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
        } else if (request.isNavigationRequest() && request.url().equals(parkedAt)) {
            BundleSandbox.park(request);
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
