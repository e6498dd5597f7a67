package io.pressroom.common;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) as a map, for the hop no library covers: the
 * outbox row. The API writes the request's context into the row when the job is created; the relay sends the row
 * later, in another transaction on another thread, and continues the trace from the row, not from its own thread.
 * (Kafka itself is covered by SmallRye Reactive Messaging's tracing, which writes and reads the record headers.)
 */
public final class TraceHeaders {

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Map<String, ?>> FROM_MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, ?> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, ?> carrier, String key) {
            Object value = carrier == null ? null : carrier.get(key);
            return value instanceof String text ? text : null;
        }
    };

    private TraceHeaders() {
    }

    /** The current trace context's headers; empty when there is no trace (tracing off, or no span). */
    public static Map<String, Object> current() {
        Map<String, Object> headers = new HashMap<>();
        W3C.inject(Context.current(), headers, (carrier, key, value) -> carrier.put(key, value));
        return headers;
    }

    /** The trace context the headers carry; {@code null} when they carry none. */
    public static Context context(Map<String, ?> headers) {
        if (headers == null || !headers.containsKey("traceparent")) {
            return null;
        }
        Context context = W3C.extract(Context.root(), headers, FROM_MAP);
        return context == Context.root() ? null : context;
    }
}
