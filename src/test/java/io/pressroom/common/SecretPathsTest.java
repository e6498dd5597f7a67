package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** Download tokens never reach a log line or a trace: the paths that carry them are redacted. */
class SecretPathsTest {

    private static final String TOKEN = "MnwxfG91dF8wMXxhdHRhY2htZW50fDE3OTYzOTg5MzQ4MzA.c2lnbmF0dXJl";

    @Test
    void downloadTokensAreRedactedAndOtherPathsKept() {
        assertThat(SecretPaths.redact("/v1/downloads/" + TOKEN)).isEqualTo("/v1/downloads/[redacted]");
        assertThat(SecretPaths.redact("https://api.example/v1/downloads/" + TOKEN + "?x=1"))
                .isEqualTo("https://api.example/v1/downloads/[redacted]?x=1");
        assertThat(SecretPaths.redact("/v1/render-jobs/rj_1/events")).isEqualTo("/v1/render-jobs/rj_1/events");
        assertThat(SecretPaths.redact(null)).isNull();
    }

    @Test
    void serverSpansOfDownloadsCarryNoToken() {
        List<SpanData> exported = new ArrayList<>();
        SpanExporter exporter = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                exported.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(new RedactedSpans())
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            // as the HTTP server instrumentation starts it: the URL attributes are set before the span starts
            Span span = tracing.get("test").spanBuilder("GET /v1/downloads/{token}").setSpanKind(SpanKind.SERVER)
                    .setAttribute("url.path", "/v1/downloads/" + TOKEN)
                    .setAttribute("url.full", "http://localhost/v1/downloads/" + TOKEN)
                    .setAttribute("http.target", "/v1/downloads/" + TOKEN)
                    .setAttribute("http.route", "/v1/downloads/{token}").startSpan();
            span.end();
        }
        assertThat(exported).hasSize(1);
        var attributes = exported.get(0).getAttributes();
        assertThat(attributes.asMap().values()).allSatisfy(value -> assertThat(value.toString()).doesNotContain(TOKEN));
        assertThat(attributes.get(AttributeKey.stringKey("url.path"))).isEqualTo("/v1/downloads/[redacted]");
        assertThat(attributes.get(AttributeKey.stringKey("http.route"))).isEqualTo("/v1/downloads/{token}");
    }
}
