package io.pressroom.render.browser;

/**
 * Page margins as CSS lengths ({@code 10mm}, {@code 0.5in}, {@code 1cm}, {@code 12pt}, {@code 20px}); null keeps Chromium's 1
 * cm.
 */
public record Margin(String top, String right, String bottom, String left) {
}
