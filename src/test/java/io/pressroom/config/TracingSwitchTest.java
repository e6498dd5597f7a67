package io.pressroom.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** OpenTelemetry's SDK runs when an OTLP endpoint is configured, and only then, unless told otherwise. */
class TracingSwitchTest {

    private static boolean sdkDisabled(Map<String, String> settings) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withInterceptors(new TracingSwitch())
                .withSources(new PropertiesConfigSource(settings, "test", 250)).build();
        return config.getValue(TracingSwitch.SDK_DISABLED, Boolean.class);
    }

    @Test
    void offWithoutAnEndpoint() {
        assertThat(sdkDisabled(Map.of())).isTrue();
        assertThat(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", " "))).isTrue();
    }

    @Test
    void onWithAnEndpointForTracesOrForAllSignals() {
        assertThat(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317"))).isFalse();
        assertThat(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4317")))
                .isFalse();
    }

    @Test
    void anExplicitSettingWins() {
        assertThat(sdkDisabled(Map.of("quarkus.otel.sdk.disabled", "true",
                "quarkus.otel.exporter.otlp.endpoint", "http://collector:4317"))).isTrue();
        assertThat(sdkDisabled(Map.of("quarkus.otel.sdk.disabled", "false"))).isFalse();
    }
}
