package io.pressroom.render.browser;

/**
 * Why a render failed, as one of the job error codes of SPEC §3; the message is short and safe to show a client,
 * the cause (when any) is for logs only.
 */
public class RenderFailure extends Exception {

    /** The page did not reach its load event within the navigation timeout. */
    public static final String NAVIGATION_TIMEOUT = "navigation_timeout";
    /** The whole render exceeded its budget ({@code renderTimeoutMs}). */
    public static final String RENDER_TIMEOUT_EXCEEDED = "render_timeout_exceeded";
    /** Chromium or the page's renderer died (or hung and was killed) under the render. */
    public static final String RENDER_CRASHED = "render_crashed";
    /** The PDF is larger than {@code pressroom.chromium.max-output-bytes}. */
    public static final String OUTPUT_TOO_LARGE = "output_too_large";
    /** The print options cannot be honoured (unknown format, bad margin, page range outside the document). */
    public static final String TEMPLATE_ERROR = "template_error";
    /** The job was cancelled while it rendered; the render was stopped. */
    public static final String CANCELLED = "cancelled";
    /** Anything else, e.g. Chromium could not be started. */
    public static final String INTERNAL_ERROR = "internal_error";

    private final String code;
    private final boolean retryable;

    public RenderFailure(String code, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    static RenderFailure navigationTimeout(long limitMs) {
        return new RenderFailure(NAVIGATION_TIMEOUT, false, "the page did not finish loading within " + limitMs + " ms",
                null);
    }

    static RenderFailure renderTimeout(long budgetMs) {
        return new RenderFailure(RENDER_TIMEOUT_EXCEEDED, false, "the render exceeded its budget of " + budgetMs + " ms",
                null);
    }

    static RenderFailure crashed(Throwable cause) {
        return new RenderFailure(RENDER_CRASHED, true, "the browser crashed during the render", cause);
    }

    static RenderFailure tooLarge(long limit) {
        return new RenderFailure(OUTPUT_TOO_LARGE, false, "the PDF is larger than " + limit + " bytes", null);
    }

    static RenderFailure badOptions(String message) {
        return new RenderFailure(TEMPLATE_ERROR, false, message, null);
    }

    static RenderFailure internal(String message, Throwable cause) {
        return new RenderFailure(INTERNAL_ERROR, true, message, cause);
    }

    /** The job error code. */
    public String code() {
        return code;
    }

    /** Whether another attempt may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
