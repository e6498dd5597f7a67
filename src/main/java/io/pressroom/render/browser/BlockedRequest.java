package io.pressroom.render.browser;

/** A request the sandbox refused, and why ({@code loopback}, {@code private_network}, {@code host_not_allowed}, …). */
public record BlockedRequest(String url, String reason) {
}
