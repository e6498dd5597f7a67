package io.pressroom.config;

import java.util.Map;

import jakarta.annotation.Priority;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * Turns {@code pressroom.role} into which Kafka consumers run: renderers consume commands, the API consumes events.
 * An explicit {@code mp.messaging.incoming.<channel>.enabled} still wins.
 * <p>
 * Quarkus' messaging extension reads the same setting as {@code quarkus.messaging.incoming.<channel>.enabled} too
 * (it relocates {@code mp.messaging.*} there) and declares a default of {@code true} for it. That default is not a
 * setting: only a value from a real source (system property, environment, application.properties, …) counts as
 * explicit, under either name; otherwise the role decides.
 */
@Priority(Priorities.APPLICATION + 100)
public class RoleChannels implements ConfigSourceInterceptor {

    private static final String MP_PREFIX = "mp.messaging.incoming.";
    private static final String QUARKUS_PREFIX = "quarkus.messaging.incoming.";
    private static final String SUFFIX = ".enabled";

    /** Channel → the role that consumes it. */
    private static final Map<String, String> CONSUMERS = Map.of(
            "render-commands-in", "renderer",
            "render-previews-in", "renderer",
            "render-control-in", "renderer",
            "render-events-in", "api");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        String channel = channel(name);
        String consumer = channel == null ? null : CONSUMERS.get(channel);
        if (consumer == null) {
            return context.proceed(name);
        }
        for (String spelling : new String[] { MP_PREFIX + channel + SUFFIX, QUARKUS_PREFIX + channel + SUFFIX }) {
            ConfigValue explicit = context.proceed(spelling);
            if (explicit != null && explicit.getValue() != null && !isDefault(explicit)) {
                return explicit.withName(name);
            }
        }
        ConfigValue role = context.proceed("pressroom.role");
        String current = role == null || role.getValue() == null ? "all" : role.getValue().trim();
        boolean enabled = current.equals("all") || current.equals(consumer);
        return ConfigValue.builder().withName(name).withValue(Boolean.toString(enabled)).withRawValue(
                Boolean.toString(enabled)).withConfigSourceName("pressroom-role").build();
    }

    /** The channel of {@code mp.messaging.incoming.<channel>.enabled} or its {@code quarkus.messaging} twin. */
    static String channel(String name) {
        if (!name.endsWith(SUFFIX)) {
            return null;
        }
        String prefix = name.startsWith(MP_PREFIX) ? MP_PREFIX : name.startsWith(QUARKUS_PREFIX) ? QUARKUS_PREFIX : null;
        return prefix == null ? null : name.substring(prefix.length(), name.length() - SUFFIX.length());
    }

    // Declared defaults (of config mappings) live in the source with the lowest possible ordinal.
    private static boolean isDefault(ConfigValue value) {
        return value.getConfigSourceOrdinal() == Integer.MIN_VALUE;
    }
}
