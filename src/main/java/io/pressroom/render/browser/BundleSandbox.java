package io.pressroom.render.browser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import com.ruiyun.jvppeteer.api.core.Request;
import com.ruiyun.jvppeteer.cdp.core.CdpRequest;

/**
 * One render's view of the network. Every request the page makes is paused by CDP interception and lands here:
 * the page itself and its assets are answered from memory, {@code data:}/{@code blob:}/{@code about:blank} stay
 * inside Chromium, everything else is failed and recorded. Nothing is ever continued to the network, so a redirect
 * can never happen (each hop would be judged here anyway).
 */
final class BundleSandbox {

    private static final Logger LOG = Logger.getLogger(BundleSandbox.class);
    /** Bounds what a hostile page can make us remember. */
    private static final int MAX_RECORDED = 500;
    private static final String NAVIGATION = "navigation";
    private static final String FAVICON = "favicon.ico";

    private final String host;
    private final RequestPolicy policy;
    private final byte[] html;
    private final Map<String, BundleAsset> assets;
    private final List<BlockedRequest> blocked = new ArrayList<>();
    private volatile boolean documentServed;

    BundleSandbox(String host, RenderRequest request) {
        this.host = host;
        this.policy = new RequestPolicy(host);
        this.html = request.html() == null ? new byte[0] : request.html().getBytes(StandardCharsets.UTF_8);
        this.assets = request.assets();
    }

    String documentUrl() {
        return "https://" + host + "/index.html";
    }

    synchronized List<BlockedRequest> blocked() {
        return List.copyOf(blocked);
    }

    /** Called on jvppeteer's event thread: answers without blocking on Chromium. */
    void handle(Request request) {
        String url = request.url();
        try {
            RequestPolicy.Decision decision = policy.decide(url);
            if (decision instanceof RequestPolicy.Serve serve) {
                serve(request, url, serve.path());
            } else if (decision instanceof RequestPolicy.Refuse refuse) {
                refuse(request, url, refuse.reason());
            } else {
                letThrough(request);
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "Could not answer an intercepted request for %s", url);
            fail(request);
        }
    }

    private void serve(Request request, String url, String path) {
        boolean mainFrame = request.isNavigationRequest()
                && (request.frame() == null || request.frame().parentFrame() == null);
        if (mainFrame) {
            // the first navigation is ours; any later one would replace the document being printed
            if (documentServed) {
                refuse(request, url, NAVIGATION);
                return;
            }
            documentServed = true;
            fulfill(request, 200, "text/html; charset=utf-8", html);
            return;
        }
        if (path.isEmpty() || path.equals("index.html")) {
            fulfill(request, 200, "text/html; charset=utf-8", html);
            return;
        }
        BundleAsset asset = assets.get(path);
        if (asset == null && path.equals(FAVICON)) {
            // Chromium asks for one on its own; a 404 would put an error the template never caused in every report
            fulfill(request, 204, "image/x-icon", new byte[0]);
        } else if (asset == null) {
            fulfill(request, 404, "text/plain", new byte[0]); // shows up as a console error, not as a block
        } else {
            String type = asset.contentType() == null ? "application/octet-stream" : asset.contentType();
            fulfill(request, 200, type, asset.content() == null ? new byte[0] : asset.content());
        }
    }

    private void refuse(Request request, String url, String reason) {
        synchronized (this) {
            if (blocked.size() < MAX_RECORDED) {
                blocked.add(new BlockedRequest(url.length() > 2048 ? url.substring(0, 2048) : url, reason));
            }
        }
        fail(request);
    }

    private static void letThrough(Request request) {
        String id = ((CdpRequest) request).interceptionId();
        if (id != null && !id.isEmpty()) {
            request.client().send("Fetch.continueRequest", Cdp.params("requestId", id), null, false);
        }
    }

    /** Fails a request that no render is waiting for. */
    static void refuseUnrecorded(Request request) {
        fail(request);
    }

    /**
     * A navigation failed with any other error commits Chromium's error page in place of the document being printed;
     * an aborted one leaves the page as it was.
     */
    private static void fail(Request request) {
        String id = ((CdpRequest) request).interceptionId();
        if (id != null && !id.isEmpty()) {
            String reason = request.isNavigationRequest() ? "Aborted" : "BlockedByClient";
            request.client().send("Fetch.failRequest", Cdp.params("requestId", id, "errorReason", reason), null,
                    false);
        }
    }

    /**
     * Raw {@code Fetch.fulfillRequest}: jvppeteer's {@code respond} takes the body as a String and re-encodes it as
     * UTF-8, which corrupts images and fonts. Not blocking: the answer does not matter, the page sees the result.
     */
    private static void fulfill(Request request, int status, String contentType, byte[] body) {
        String id = ((CdpRequest) request).interceptionId();
        if (id == null || id.isEmpty()) {
            return;
        }
        List<Map<String, String>> headers = List.of(
                Map.of("name", "Content-Type", "value", contentType),
                Map.of("name", "Content-Length", "value", Integer.toString(body.length)),
                Map.of("name", "Cache-Control", "value", "no-store"));
        request.client().send("Fetch.fulfillRequest", Cdp.params("requestId", id, "responseCode", status,
                "responseHeaders", headers, "body", Base64.getEncoder().encodeToString(body)), null, false);
    }
}
