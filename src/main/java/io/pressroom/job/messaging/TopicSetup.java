package io.pressroom.job.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.Topics;
import io.pressroom.health.KafkaAdmin;
import io.quarkus.runtime.StartupEvent;

/**
 * Creates Pressroom's topics when they are missing (configurable; in Kubernetes they are declared in {@code k8s/}).
 * Creation failures are logged, not fatal: a broker that refuses creation still has topics made by its operator.
 */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    void create(@Observes @Priority(10) StartupEvent event, PressroomConfig config, KafkaAdmin kafka) {
        var settings = config.kafka();
        if (!settings.createTopics()) {
            return;
        }
        List<String> names = new ArrayList<>();
        config.jobs().queues().forEach(queue -> names.add(Topics.commands(queue)));
        names.add(Topics.commands(Topics.PREVIEW_QUEUE));
        names.addAll(List.of(Topics.EVENTS, Topics.COMMANDS_DLQ, Topics.EVENTS_DLQ, Topics.CONTROL));
        try {
            Set<String> existing = kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, settings.partitions(), settings.replicationFactor())).toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var result : kafka.admin().createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                    LOG.infof("Created topic %s", result.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warnf("Could not create topic %s: %s", result.getKey(), e.getCause().getMessage());
                    }
                }
            }
        } catch (Exception e) {
            LOG.warnf("Could not check Pressroom's topics: %s", e.getMessage());
        }
    }
}
