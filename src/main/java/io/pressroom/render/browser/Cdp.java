package io.pressroom.render.browser;

import java.util.HashMap;
import java.util.Map;

/** Helpers for raw DevTools calls. */
final class Cdp {

    private Cdp() {
    }

    /**
     * Parameters as a mutable map: jvppeteer strips null values from the map it is given in place, which an
     * immutable {@code Map.of} would refuse.
     */
    static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> params = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return params;
    }
}
