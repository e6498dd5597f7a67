package io.pressroom.render.browser;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@link RenderOptions} into {@code Page.printToPDF} parameters. Public so the API can reject bad options
 * with a 400 before a job is queued ({@link #check}); the renderer fails such a job with {@code template_error}.
 */
public final class PrintParameters {

    /** Paper sizes in inches (width, height), portrait: every format the API accepts ({@code JobOptions.format}). */
    private static final Map<String, double[]> FORMATS = Map.ofEntries(
            Map.entry("a0", new double[] { 33.11, 46.81 }),
            Map.entry("a1", new double[] { 23.39, 33.11 }),
            Map.entry("a2", new double[] { 16.54, 23.39 }),
            Map.entry("a3", new double[] { 11.69, 16.54 }),
            Map.entry("a4", new double[] { 8.27, 11.69 }),
            Map.entry("a5", new double[] { 5.83, 8.27 }),
            Map.entry("a6", new double[] { 4.13, 5.83 }),
            Map.entry("letter", new double[] { 8.5, 11 }),
            Map.entry("legal", new double[] { 8.5, 14 }),
            Map.entry("tabloid", new double[] { 11, 17 }),
            Map.entry("ledger", new double[] { 17, 11 }));
    private static final Map<String, Double> INCHES_PER_UNIT = Map.of(
            "in", 1.0, "cm", 1 / 2.54, "mm", 1 / 25.4, "pt", 1 / 72.0, "pc", 1 / 6.0, "px", 1 / 96.0);
    private static final Pattern LENGTH = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([a-zA-Z]*)\\s*");
    /** An empty template makes Chromium print its own date/title/URL header; this prints nothing. */
    private static final String EMPTY_TEMPLATE = "<span></span>";

    private PrintParameters() {
    }

    /** @throws IllegalArgumentException with a message fit for a client when an option cannot be honoured */
    public static void check(RenderOptions options) {
        of(options);
    }

    static Map<String, Object> of(RenderOptions options) {
        double[] paper = FORMATS.get(blank(options.format()) ? "a4" : options.format().toLowerCase(Locale.ROOT));
        if (paper == null) {
            throw new IllegalArgumentException("unknown paper format '" + options.format() + "' (use one of A0-A6, "
                    + "Letter, Legal, Tabloid, Ledger)");
        }
        double scale = options.scale() == 0 ? 1 : options.scale();
        if (scale < 0.1 || scale > 2) {
            throw new IllegalArgumentException("scale must be between 0.1 and 2");
        }
        boolean headerFooter = !blank(options.headerTemplate()) || !blank(options.footerTemplate());
        Map<String, Object> params = Cdp.params(
                "transferMode", "ReturnAsStream",
                "paperWidth", paper[0],
                "paperHeight", paper[1],
                "landscape", options.landscape(),
                "printBackground", options.printBackground(),
                "scale", scale,
                "preferCSSPageSize", options.preferCssPageSize(),
                // an outline is made from the structure tree: only a tagged PDF has one (docs/jobs.md: the cost)
                "generateTaggedPDF", options.outline(),
                "generateDocumentOutline", options.outline(),
                "displayHeaderFooter", headerFooter);
        if (!blank(options.pageRanges())) {
            params.put("pageRanges", options.pageRanges().trim());
        }
        if (headerFooter) {
            params.put("headerTemplate", blank(options.headerTemplate()) ? EMPTY_TEMPLATE : options.headerTemplate());
            params.put("footerTemplate", blank(options.footerTemplate()) ? EMPTY_TEMPLATE : options.footerTemplate());
        }
        Margin margin = options.margin();
        if (margin != null) {
            putInches(params, "marginTop", margin.top());
            putInches(params, "marginRight", margin.right());
            putInches(params, "marginBottom", margin.bottom());
            putInches(params, "marginLeft", margin.left());
        }
        return params;
    }

    /** A CSS length ({@code 10mm}, {@code 0.5in}, {@code 12pt}; a bare number is pixels) in inches. */
    static double inches(String length) {
        Matcher m = LENGTH.matcher(length);
        String unit = m.matches() ? m.group(2).toLowerCase(Locale.ROOT) : null;
        Double factor = unit == null ? null : unit.isEmpty() ? INCHES_PER_UNIT.get("px") : INCHES_PER_UNIT.get(unit);
        if (factor == null) {
            throw new IllegalArgumentException("margin '" + length + "' is not a length in in, cm, mm, pt, pc or px");
        }
        return Double.parseDouble(m.group(1)) * factor;
    }

    private static void putInches(Map<String, Object> params, String key, String length) {
        if (!blank(length)) {
            params.put(key, inches(length));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
