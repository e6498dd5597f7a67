package io.pressroom.render.browser;

import io.pressroom.contract.ErrorCode;

/**
 * Why a render failed, as one of the job {@link ErrorCode}s; the message is short and safe to show a client,
 * the cause (when any) is for logs only.
 */
public class RenderFailure extends Exception {

    private final ErrorCode code;
    private final boolean retryable;
    private final boolean pageIntact;

    public RenderFailure(ErrorCode code, boolean retryable, String message, Throwable cause) {
        this(code, retryable, message, cause, false);
    }

    private RenderFailure(ErrorCode code, boolean retryable, String message, Throwable cause, boolean pageIntact) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
        this.pageIntact = pageIntact;
    }

    /** The job was cancelled while its render ran (not retried: there is nothing left to do). */
    public static RenderFailure cancelled() {
        return new RenderFailure(ErrorCode.CANCELLED, false, "the job was cancelled", null);
    }

    static RenderFailure navigationTimeout(long limitMs) {
        return new RenderFailure(ErrorCode.NAVIGATION_TIMEOUT, false,
                "the page did not finish loading within " + limitMs + " ms",
                null);
    }

    static RenderFailure renderTimeout(long budgetMs) {
        return new RenderFailure(ErrorCode.RENDER_TIMEOUT_EXCEEDED, false,
                "the render exceeded its budget of " + budgetMs + " ms",
                null);
    }

    static RenderFailure crashed(Throwable cause) {
        return new RenderFailure(ErrorCode.RENDER_CRASHED, true, "the browser crashed during the render", cause);
    }

    static RenderFailure tooLarge(long limit) {
        return new RenderFailure(ErrorCode.OUTPUT_TOO_LARGE, false, "the PDF is larger than " + limit + " bytes", null);
    }

    static RenderFailure badOptions(String message) {
        return new RenderFailure(ErrorCode.TEMPLATE_ERROR, false, message, null);
    }

    /**
     * Print options Chromium refused for the loaded document, such as page ranges beyond its end: the page is left as
     * a finished render leaves it.
     */
    static RenderFailure optionsRefusedByThePrint(String message) {
        return new RenderFailure(ErrorCode.TEMPLATE_ERROR, false, message, null, true);
    }

    static RenderFailure internal(String message, Throwable cause) {
        return new RenderFailure(ErrorCode.INTERNAL_ERROR, true, message, cause);
    }

    /** The job error code. */
    public ErrorCode code() {
        return code;
    }

    /**
     * Whether the page is as a finished render leaves it (its document loaded, no call pending), so that it can be
     * reset for the next render rather than thrown away: a client's repeated mistake then costs no new page.
     */
    boolean pageIntact() {
        return pageIntact;
    }

    /** Whether another attempt may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
