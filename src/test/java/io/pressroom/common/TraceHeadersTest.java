package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/** The outbox row's trace headers, and the job's ids in the logging MDC. */
class TraceHeadersTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void theCurrentTraceGoesIntoTheHeadersAndComesBackFromThem() {
        SpanContext span = SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(),
                TraceState.builder().put("vendor", "x").build());
        Map<String, Object> headers;
        try (Scope scope = Context.root().with(Span.wrap(span)).makeCurrent()) {
            headers = TraceHeaders.current();
        }
        assertThat(headers).containsEntry("traceparent", "00-" + TRACE + "-" + SPAN + "-01")
                .containsEntry("tracestate", "vendor=x");

        SpanContext back = Span.fromContext(TraceHeaders.context(headers)).getSpanContext();
        assertThat(back.getTraceId()).isEqualTo(TRACE);
        assertThat(back.getSpanId()).isEqualTo(SPAN);
        assertThat(back.isSampled()).isTrue();
        assertThat(back.isRemote()).isTrue();
    }

    @Test
    void noTraceWritesNothingAndNothingOrGarbageReadsAsNoTrace() {
        assertThat(TraceHeaders.current()).isEmpty();
        assertThat(TraceHeaders.context(Map.of())).isNull();
        assertThat(TraceHeaders.context(null)).isNull();
        assertThat(TraceHeaders.context(Map.of("traceparent", "00-not-a-trace-01"))).isNull();
        assertThat(TraceHeaders.context(Map.of("traceparent", 42))).isNull();
    }

    @Test
    void aJobsIdsAreInTheMdcUntilClosed() {
        try (JobLogContext log = JobLogContext.of("rj_1", "prj_1", 2)) {
            assertThat(MDC.get("jobId")).isEqualTo("rj_1");
            assertThat(MDC.get("projectId")).isEqualTo("prj_1");
            assertThat(MDC.get("attempt")).isEqualTo("2");
        }
        assertThat(MDC.get("jobId")).isNull();
        assertThat(MDC.get("projectId")).isNull();
        assertThat(MDC.get("attempt")).isNull();

        try (JobLogContext log = JobLogContext.of("rj_2", "prj_2", null)) {
            assertThat(MDC.get("jobId")).isEqualTo("rj_2");
            assertThat(MDC.get("attempt")).isNull();
        }
    }
}
