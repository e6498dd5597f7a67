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
 */
@Priority(Priorities.APPLICATION + 100)
public class RoleChannels implements ConfigSourceInterceptor {

    /** Channel → the role that consumes it. */
    private static final Map<String, String> CONSUMERS = Map.of(
            "mp.messaging.incoming.render-commands-in.enabled", "renderer",
            "mp.messaging.incoming.render-control-in.enabled", "renderer",
            "mp.messaging.incoming.render-events-in.enabled", "api");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue explicit = context.proceed(name);
        String consumer = CONSUMERS.get(name);
        if (consumer == null || explicit != null) {
            return explicit;
        }
        ConfigValue role = context.proceed("pressroom.role");
        String current = role == null || role.getValue() == null ? "all" : role.getValue().trim();
        boolean enabled = current.equals("all") || current.equals(consumer);
        return ConfigValue.builder().withName(name).withValue(Boolean.toString(enabled))
                .withConfigSourceName("pressroom-role").build();
    }
}
