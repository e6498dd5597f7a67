package io.pressroom.deploy.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits for zip bundles, on top of {@code pressroom.templates.max-bundle-bytes} (the uncompressed total, counted
 * while inflating) and {@code pressroom.templates.max-assets}. The compressed upload itself is bounded by
 * {@code pressroom.http.max-body-size}.
 */
@ConfigMapping(prefix = "pressroom.templates.zip")
public interface ZipLimits {

    /** Most entries (files and folders) a zip bundle may list; more is refused with 413 before anything is inflated. */
    @WithDefault("1000")
    int maxEntries();

    /** Largest ratio of inflated to compressed bytes one entry may reach once it is above {@code ratio-threshold-bytes}. */
    @WithDefault("200")
    int maxCompressionRatio();

    /** Entries inflating to at most this many bytes are not held to {@code max-compression-ratio}. */
    @WithDefault("1048576")
    long ratioThresholdBytes();
}
