package io.pressroom.render.browser;

/** Builds {@link RenderOptions} for tests, starting from the defaults. */
final class Options {

    private String format = "A4";
    private boolean landscape;
    private Margin margin;
    private boolean printBackground = true;
    private String pageRanges;
    private String headerTemplate;
    private String footerTemplate;
    private String waitForSelector;
    private String waitForExpression;
    private long waitDelayMs;
    private long renderTimeoutMs = 30_000L;
    private boolean javascript = true;
    private boolean outline;
    private String emulateMedia = "print";

    static Options options() {
        return new Options();
    }

    Options format(String value) {
        format = value;
        return this;
    }

    Options landscape() {
        landscape = true;
        return this;
    }

    Options margin(Margin value) {
        margin = value;
        return this;
    }

    Options pageRanges(String value) {
        pageRanges = value;
        return this;
    }

    Options header(String value) {
        headerTemplate = value;
        return this;
    }

    Options footer(String value) {
        footerTemplate = value;
        return this;
    }

    Options waitForSelector(String value) {
        waitForSelector = value;
        return this;
    }

    Options waitForExpression(String value) {
        waitForExpression = value;
        return this;
    }

    Options waitDelayMs(long value) {
        waitDelayMs = value;
        return this;
    }

    Options timeoutMs(long value) {
        renderTimeoutMs = value;
        return this;
    }

    Options noJavascript() {
        javascript = false;
        return this;
    }

    Options media(String value) {
        emulateMedia = value;
        return this;
    }

    Options outline() {
        outline = true;
        return this;
    }

    RenderOptions build() {
        return new RenderOptions(format, landscape, margin, printBackground, 1.0, pageRanges, false, headerTemplate,
                footerTemplate, emulateMedia, waitForSelector, waitForExpression, waitDelayMs, renderTimeoutMs,
                javascript, outline);
    }
}
