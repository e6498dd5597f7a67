package io.pressroom.console.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A horizontal bar chart drawn on the server as SVG: a bar's length is an attribute, not a style, so the strict
 * Content-Security-Policy (no inline style) holds, and no chart library is needed for a handful of bars.
 */
record UsageChart(String title, String unit, int height, List<Bar> bars) {

    static final int LABEL_WIDTH = 130;
    static final int BAR_SPACE = 300;
    static final int ROW = 26;

    /** One bar: its row's text baseline and bar top, its length in pixels, and where its value is written. */
    record Bar(String label, String shown, int textY, int barY, int width, int textX) {
    }

    static UsageChart of(String title, String unit, Map<String, ? extends Number> values) {
        double max = values.values().stream().mapToDouble(Number::doubleValue).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        int row = 0;
        for (Map.Entry<String, ? extends Number> entry : values.entrySet()) {
            double value = entry.getValue().doubleValue();
            int width = max <= 0 ? 0 : (int) Math.round(BAR_SPACE * value / max);
            String shown = value == Math.rint(value) ? Long.toString((long) value)
                    : String.format(java.util.Locale.ROOT, "%.1f", value);
            bars.add(new Bar(entry.getKey(), shown, row * ROW + 17, row * ROW + 4, width, LABEL_WIDTH + width + 6));
            row++;
        }
        return new UsageChart(title, unit, Math.max(ROW, row * ROW), bars);
    }

    public int labelWidth() {
        return LABEL_WIDTH;
    }

    public int width() {
        return LABEL_WIDTH + BAR_SPACE + 70;
    }
}
