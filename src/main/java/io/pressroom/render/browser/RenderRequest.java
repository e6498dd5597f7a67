package io.pressroom.render.browser;

import java.util.Map;

/**
 * One render: the already-merged {@code index.html} and the bundle's assets keyed by relative path
 * ({@code css/site.css}), all served from memory. {@code title} names a document that has no {@code <title>} of its
 * own (the PDF's Title, and the {@code title} of header and footer templates); without one Chromium would use the
 * internal URL the bundle is served from.
 */
public record RenderRequest(String jobId, String html, Map<String, BundleAsset> assets, RenderOptions options,
        String title) {

    public RenderRequest {
        assets = assets == null ? Map.of() : Map.copyOf(assets);
        java.util.Objects.requireNonNull(options, "options");
    }

    public RenderRequest(String jobId, String html, Map<String, BundleAsset> assets, RenderOptions options) {
        this(jobId, html, assets, options, null);
    }
}
