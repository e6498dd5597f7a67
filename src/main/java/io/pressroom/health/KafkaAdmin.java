package io.pressroom.health;

import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.smallrye.common.annotation.Identifier;

/** One Kafka admin client per process, configured from the same {@code kafka.*} settings as the channels. */
@ApplicationScoped
public class KafkaAdmin {

    private final Map<String, Object> config;
    private volatile Admin admin;

    @Inject
    public KafkaAdmin(@Identifier("default-kafka-broker") Map<String, Object> brokerConfig) {
        Map<String, Object> config = new HashMap<>();
        brokerConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "pressroom-admin");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        this.config = config;
    }

    public Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(config);
                }
                current = admin;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
