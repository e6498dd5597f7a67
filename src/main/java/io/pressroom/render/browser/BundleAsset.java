package io.pressroom.render.browser;

/** One file of a template bundle, served to the page from memory. */
public record BundleAsset(String contentType, byte[] content) {
}
