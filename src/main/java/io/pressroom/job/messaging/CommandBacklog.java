package io.pressroom.job.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pressroom.contract.Topics;
import io.pressroom.health.KafkaAdmin;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Tells a queued job that waits its turn from one whose command was lost, without any message of its own: a job's
 * command goes to the partition its id hashes to (Kafka's default partitioner), and while the renderers' consumer
 * group has not consumed that partition to its end, the command may still be in it, behind others. Only when the
 * group is through the whole partition and the job is still queued was the command consumed without a render.
 */
@ApplicationScoped
public class CommandBacklog {

    private static final long TIMEOUT_SECONDS = 10;

    private final KafkaAdmin kafka;
    private final String group;
    private final Vertx vertx;

    public CommandBacklog(KafkaAdmin kafka, Vertx vertx,
            @ConfigProperty(name = "mp.messaging.incoming.render-commands-in.group.id", defaultValue = "pressroom-renderer") String group) {
        this.kafka = kafka;
        this.vertx = vertx;
        this.group = group;
    }

    /**
     * Of the given jobs (id → queue), those whose command may still be waiting in its queue; fails when Kafka cannot
     * tell. Blocking admin calls run on a worker; the result comes back on the caller's context.
     */
    public Uni<Set<String>> waiting(Map<String, String> queueOf) {
        if (queueOf.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return find(queueOf);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka cannot tell which commands wait: " + e.getMessage(), e);
            }
        }));
    }

    private Set<String> find(Map<String, String> queueOf) throws Exception {
        Admin admin = kafka.admin();
        Set<String> topics = new HashSet<>();
        queueOf.values().forEach(queue -> topics.add(Topics.commands(queue)));
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, TopicPartition> partitionOf = new HashMap<>();
        queueOf.forEach((jobId, queue) -> {
            String topic = Topics.commands(queue);
            int partitions = described.get(topic).partitions().size();
            int partition = Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % partitions;
            partitionOf.put(jobId, new TopicPartition(topic, partition));
        });
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitionOf.values().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Set<String> waiting = new HashSet<>();
        partitionOf.forEach((jobId, partition) -> {
            OffsetAndMetadata position = committed.get(partition);
            long consumed = position == null ? 0 : position.offset();
            if (ends.get(partition).offset() > consumed) {
                waiting.add(jobId);
            }
        });
        return waiting;
    }
}
