package io.pressroom.render.browser;

import java.util.Map;

/**
 * One render: the already-merged {@code index.html} and the bundle's assets keyed by relative path
 * ({@code css/site.css}), all served from memory.
 */
public record RenderRequest(String jobId, String html, Map<String, BundleAsset> assets, RenderOptions options) {

    public RenderRequest {
        assets = assets == null ? Map.of() : Map.copyOf(assets);
        options = options == null ? RenderOptions.defaults() : options;
    }
}
