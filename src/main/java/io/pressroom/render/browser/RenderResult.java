package io.pressroom.render.browser;

import java.util.List;

/**
 * A rendered PDF with what happened on the way: refused requests, console errors and uncaught exceptions, the time
 * to load the page (navigation and waits) and the time to print it.
 */
public record RenderResult(byte[] pdf, List<BlockedRequest> blocked, List<String> consoleErrors, long loadMs,
        long printMs) {
}
