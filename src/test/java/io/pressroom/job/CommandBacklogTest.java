package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.pressroom.contract.Topics;
import io.pressroom.health.KafkaAdmin;
import io.pressroom.job.messaging.CommandBacklog;
import io.pressroom.testing.KafkaMessages;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;

/**
 * On the real broker: a queued job whose command is still behind unconsumed commands waits (the reaper does not send
 * it again); once the renderers' group is through its partition, it counts as lost.
 */
@QuarkusTest
class CommandBacklogTest {

    private static final int PARTITIONS = 3;

    @Inject
    KafkaAdmin kafka;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aCommandBehindUnconsumedOnesWaitsAndOneInAConsumedPartitionIsLost() throws Exception {
        String queue = "backlog" + System.nanoTime();
        String topic = Topics.commands(queue);
        kafka.admin().createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        String behind = "rj_behind" + System.nanoTime();
        String alone = otherPartition(behind);
        KafkaMessages.send(bootstrapServers, topic, behind, "{\"type\": \"render\"}");
        String group = "renderers-" + System.nanoTime();
        CommandBacklog backlog = new CommandBacklog(kafka, vertx, group);

        Map<String, String> jobs = Map.of(behind, queue, alone, queue);
        assertThat(waiting(backlog, jobs)).containsExactly(behind);

        // the group consumes the partition to its end: the command there was taken, a job still queued lost it
        TopicPartition partition = new TopicPartition(topic, partition(behind));
        long end = kafka.admin().listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition)
                .offset();
        kafka.admin().alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(end))).all().get();
        assertThat(waiting(backlog, jobs)).isEmpty();
    }

    private Set<String> waiting(CommandBacklog backlog, Map<String, String> jobs) {
        return backlog.waiting(jobs).await().atMost(Duration.ofSeconds(30));
    }

    private static int partition(String jobId) {
        return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static String otherPartition(String jobId) {
        for (int i = 0;; i++) {
            String candidate = "rj_alone" + i;
            if (partition(candidate) != partition(jobId)) {
                return candidate;
            }
        }
    }
}
