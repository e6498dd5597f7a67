package io.pressroom.bundle;

/** One file of a template bundle as recorded in the version's manifest. */
public record BundleFile(String path, String contentType, long bytes, String sha256) {
}
