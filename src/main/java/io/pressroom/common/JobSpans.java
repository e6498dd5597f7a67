package io.pressroom.common;

import java.util.Optional;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;

/** The spans of one job's work, named by their attributes the same way in both roles (docs/operations.md#tracing). */
public final class JobSpans {

    public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("pressroom.job.id");
    public static final AttributeKey<String> PROJECT_ID = AttributeKey.stringKey("pressroom.project.id");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("pressroom.job.attempt");
    public static final AttributeKey<Long> PAGES = AttributeKey.longKey("pressroom.render.pages");
    public static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("pressroom.error.code");

    private JobSpans() {
    }

    /**
     * Starts a span about a job's attempt, a child of the Kafka record's trace: {@code tracing} is the consumer span
     * SmallRye's Kafka tracing made from the record's {@code traceparent} header (absent when tracing is off).
     */
    public static Span start(Tracer tracer, String name, Optional<TracingMetadata> tracing, String jobId,
            String projectId, int attempt) {
        Context parent = tracing.map(TracingMetadata::getCurrentContext).orElseGet(Context::current);
        return tracer.spanBuilder(name).setParent(parent).setAttribute(JOB_ID, jobId)
                .setAttribute(PROJECT_ID, projectId).setAttribute(ATTEMPT, (long) attempt).startSpan();
    }
}
