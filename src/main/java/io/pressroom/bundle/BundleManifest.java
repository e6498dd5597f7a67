package io.pressroom.bundle;

import java.util.List;

/** The files of a version, sorted by path. An object rather than a bare array: jsonb columns hold objects here. */
public record BundleManifest(List<BundleFile> files) {
}
