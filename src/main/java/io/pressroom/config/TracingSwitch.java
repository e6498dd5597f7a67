package io.pressroom.config;

import java.util.List;

import jakarta.annotation.Priority;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * Tracing is on exactly when an OTLP endpoint is set ({@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} or
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}): without one, Quarkus would export to its default,
 * {@code localhost:4317}, where nothing listens in a pod, and log an export failure every few seconds. An explicit
 * {@code quarkus.otel.sdk.disabled} still wins (the tests turn the SDK on with an exporter of their own).
 */
@Priority(Priorities.APPLICATION + 100)
public class TracingSwitch implements ConfigSourceInterceptor {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.endpoint",
            "quarkus.otel.exporter.otlp.traces.endpoint");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (!SDK_DISABLED.equals(name)) {
            return context.proceed(name);
        }
        ConfigValue explicit = context.proceed(name);
        if (set(explicit)) {
            return explicit;
        }
        boolean endpoint = ENDPOINTS.stream().map(context::proceed).anyMatch(TracingSwitch::set);
        String disabled = Boolean.toString(!endpoint);
        return ConfigValue.builder().withName(name).withValue(disabled).withRawValue(disabled)
                .withConfigSourceName("pressroom-tracing").build();
    }

    /** A non-blank value from a real source: a declared default (lowest possible ordinal) does not count. */
    private static boolean set(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() != Integer.MIN_VALUE;
    }
}
