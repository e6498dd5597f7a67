package io.pressroom.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.mutiny.core.Vertx;

/**
 * One pair of gauges per Kafka consumer channel of this process ({@code render-commands-in} and
 * {@code render-control-in} on renderers, {@code render-events-in} on API pods): {@code pressroom.consumer.assigned
 * .partitions} and {@code pressroom.consumer.lag}, the records in those partitions this pod has not fetched yet (the
 * partitions' end offsets less the consumer's positions). Measured every {@code pressroom.kafka.consumer-metrics-interval}:
 * the assignment and positions on the consumer's polling thread (its own state, no request to the broker), the end
 * offsets with the admin client on a worker, bounded; a scrape only reads the last values, so a down broker never
 * holds it. Lag is NaN until known (the broker has not answered since the consumer got its partitions).
 */
@ApplicationScoped
public class ConsumerMetrics {

    private static final Logger LOG = Logger.getLogger(ConsumerMetrics.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    /** What one refresh saw of a channel. */
    record Reading(int assigned, double lag) {
        static final Reading UNKNOWN = new Reading(0, Double.NaN);
    }

    private final KafkaClientService clients;
    private final KafkaAdmin admin;
    private final MeterRegistry metrics;
    private final Vertx vertx;
    private final Duration interval;
    private final Map<String, AtomicReference<Reading>> channels = new ConcurrentHashMap<>();
    private volatile long timer = -1;

    public ConsumerMetrics(KafkaClientService clients, KafkaAdmin admin, MeterRegistry metrics, Vertx vertx,
            PressroomConfig config) {
        this.clients = clients;
        this.admin = admin;
        this.metrics = metrics;
        this.vertx = vertx;
        this.interval = config.kafka().consumerMetricsInterval();
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Measures every consumer channel once; failures leave the last values and are retried at the next interval. */
    void refresh() {
        for (String channel : clients.getConsumerChannels()) {
            List<Uni<Map<TopicPartition, Long>>> positions = new ArrayList<>();
            for (KafkaConsumer<Object, Object> consumer : clients.<Object, Object> getConsumers(channel)) {
                positions.add(consumer.runOnPollingThread(ConsumerMetrics::positions).ifNoItem().after(READ_TIMEOUT)
                        .fail());
            }
            if (positions.isEmpty()) {
                continue;
            }
            Uni.join().all(positions).andFailFast()
                    .chain(each -> vertx.executeBlocking(Uni.createFrom().item(() -> reading(merge(each)))))
                    .subscribe().with(reading -> gauges(channel).set(reading),
                            failure -> LOG.debugf("Could not measure consumer %s: %s", channel, failure.getMessage()));
        }
    }

    /** Assigned partitions → this consumer's position in each, or -1 when it has none yet. */
    private static Map<TopicPartition, Long> positions(org.apache.kafka.clients.consumer.Consumer<Object, Object> consumer) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            try {
                // known positions come back at once; an unknown one is not looked up (that would wait for the broker)
                positions.put(partition, consumer.position(partition, Duration.ZERO));
            } catch (TimeoutException notYet) {
                positions.put(partition, -1L);
            }
        }
        return positions;
    }

    private static Map<TopicPartition, Long> merge(List<Map<TopicPartition, Long>> each) {
        Map<TopicPartition, Long> all = new HashMap<>();
        each.forEach(all::putAll);
        return all;
    }

    /** Blocking: asks the broker for the end offsets of the assigned partitions. */
    private Reading reading(Map<TopicPartition, Long> positions) {
        if (positions.isEmpty()) {
            return new Reading(0, 0);
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        positions.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends;
        try {
            ends = admin.admin().listOffsets(latest).all().get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not tell the end offsets: " + e.getMessage(), e);
        }
        double lag = 0;
        Set<TopicPartition> unknown = new HashSet<>();
        for (Map.Entry<TopicPartition, Long> position : positions.entrySet()) {
            if (position.getValue() < 0) {
                unknown.add(position.getKey());
            } else {
                lag += Math.max(0, ends.get(position.getKey()).offset() - position.getValue());
            }
        }
        return new Reading(positions.size(), unknown.size() == positions.size() ? Double.NaN : lag);
    }

    private AtomicReference<Reading> gauges(String channel) {
        return channels.computeIfAbsent(channel, name -> {
            AtomicReference<Reading> last = new AtomicReference<>(Reading.UNKNOWN);
            Gauge.builder("pressroom.consumer.assigned.partitions", last, ref -> ref.get().assigned())
                    .tag("channel", name).description("Kafka partitions assigned to this pod's consumer of the channel")
                    .register(metrics);
            Gauge.builder("pressroom.consumer.lag", last, ref -> ref.get().lag()).tag("channel", name)
                    .description("Records in the channel's assigned partitions that this pod has not fetched yet")
                    .register(metrics);
            return last;
        });
    }
}
