package io.pressroom.common;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Keeps download tokens out of traces: the HTTP server span of {@code /v1/downloads/{token}} gets the request's path as
 * {@code url.path} (and, in older conventions, {@code http.target}, {@code url.full}), set when the span starts; this
 * processor, which Quarkus adds to the tracer as a CDI bean, replaces the token there before any exporter sees it.
 * ({@code http.route} and the span's name carry the template, {@code /v1/downloads/{token}}, not the token.)
 */
@ApplicationScoped
public class RedactedSpans implements SpanProcessor {

    private static final List<AttributeKey<String>> URL_ATTRIBUTES = List.of(AttributeKey.stringKey("url.path"),
            AttributeKey.stringKey("url.full"), AttributeKey.stringKey("http.target"), AttributeKey.stringKey("http.url"));

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        for (AttributeKey<String> key : URL_ATTRIBUTES) {
            String value = span.getAttribute(key);
            String redacted = SecretPaths.redact(value);
            if (value != null && !value.equals(redacted)) {
                span.setAttribute(key, redacted);
            }
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        // attributes are read-only once a span ended: everything is done at its start
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
