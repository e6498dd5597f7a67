package io.pressroom.render.browser;

/**
 * How to load and print a page (SPEC §2 {@code options}). Blank strings count as absent; {@link PrintParameters}
 * checks the values.
 *
 * @param format paper size: A3, A4 (default), A5, Letter, Legal or Tabloid (case-insensitive)
 * @param margin CSS lengths per side; null (or a null side) keeps Chromium's default of 1 cm
 * @param scale 0.1 to 2; 0 means 1
 * @param pageRanges Chromium syntax, e.g. {@code 1-3, 5}; blank prints every page
 * @param headerTemplate,footerTemplate HTML printed in the margins; either one turns header and footer on
 * @param emulateMedia {@code print} (default) or {@code screen}
 * @param waitForSelector after load, wait until this CSS selector matches
 * @param waitForExpression after load, wait until this JavaScript expression is truthy
 * @param waitDelayMs after the waits, pause this long (animations, fonts)
 * @param renderTimeoutMs budget for the whole render, as the job's command says; capped by
 *        {@code pressroom.chromium.max-render-timeout}
 * @param javascript false disables JavaScript in the page
 * @param outline true prints a tagged PDF with a document outline made from the headings
 */
public record RenderOptions(String format, boolean landscape, Margin margin, boolean printBackground, double scale,
        String pageRanges, boolean preferCssPageSize, String headerTemplate, String footerTemplate,
        String emulateMedia, String waitForSelector, String waitForExpression, long waitDelayMs,
        long renderTimeoutMs, boolean javascript, boolean outline) {

    /** A4 portrait, backgrounds printed, print media, JavaScript on, with the given budget. */
    public static RenderOptions defaults(long renderTimeoutMs) {
        return new RenderOptions("A4", false, null, true, 1.0, null, false, null, null, "print", null, null, 0,
                renderTimeoutMs, true, false);
    }
}
