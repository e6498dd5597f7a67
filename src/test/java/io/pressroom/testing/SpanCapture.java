package io.pressroom.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * The spans a test's application ends, kept in memory: Quarkus hands every {@code SpanExporter} bean to its tracer.
 * Only a test profile that turns the SDK on (an OTLP endpoint set, or {@code quarkus.otel.sdk.disabled=false}) records
 * anything.
 */
@ApplicationScoped
public class SpanCapture {

    @Produces
    @Singleton
    InMemorySpanExporter spans() {
        return InMemorySpanExporter.create();
    }
}
