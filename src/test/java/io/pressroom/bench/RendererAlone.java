package io.pressroom.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.contract.JobOptions;
import io.pressroom.contract.RenderCommand;
import io.pressroom.contract.Topics;

/**
 * The renderer alone: render commands produced straight to the default command topic, as the API's outbox relay
 * sends them ({@link RenderCommand}, key = job id), each timed until its {@code succeeded} event arrives on the
 * events topic, read here by a consumer of our own. The renderer renders, uploads to S3 and publishes as in
 * production; no API, no database.
 */
final class RendererAlone implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static final JobOptions OPTIONS = new JobOptions("A4", null, null, true, null, null, null, null, null,
            null, null, null, null, 60_000L, null, null, null, null, null);

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final Thread listener;
    private final AtomicLong sequence = new AtomicLong();
    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private volatile boolean closed;

    RendererAlone(String bootstrapServers) {
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all"); // as the API's command channel
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        // every partition of the events topic (the renderer made it at start-up), from its end: no group, no
        // rebalance
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("the topic " + Topics.EVENTS + " does not exist");
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolves the end now, before any command is sent
        listener = new Thread(this::listen, "bench-events");
        listener.start();
    }

    /** Sends one command for {@code html} and waits for its outcome; throws when it failed or took too long. */
    void render(String html) throws Exception {
        String jobId = "rj_bench" + run + sequence.incrementAndGet();
        RenderCommand command = new RenderCommand(RenderCommand.TYPE, RenderCommand.SCHEMA_VERSION, jobId,
                "pj_bench", 1, null, null, html, null, Map.of(), null, OPTIONS, List.of("pdf"), "bench.pdf",
                System.currentTimeMillis(), 10_000, false, null);
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        waiting.put(jobId, outcome);
        try {
            producer.send(new ProducerRecord<>(Topics.commands("default"), jobId, JSON.writeValueAsString(command)),
                    (metadata, error) -> {
                        if (error != null) {
                            outcome.completeExceptionally(error);
                        }
                    });
            outcome.get(JOB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            waiting.remove(jobId);
        }
    }

    private void listen() {
        while (!closed) {
            try {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    CompletableFuture<Void> outcome = waiting.get(record.key());
                    if (outcome == null) {
                        continue;
                    }
                    JsonNode event = JSON.readTree(record.value());
                    String type = event.path("type").asText();
                    if (type.equals("succeeded")) {
                        outcome.complete(null);
                    } else if (type.equals("failed")) {
                        outcome.completeExceptionally(new IllegalStateException("render failed: "
                                + event.path("errorCode").asText() + " " + event.path("errorMessage").asText()));
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (Exception e) {
                waiting.values().forEach(outcome -> outcome.completeExceptionally(e));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        listener.join(5000);
        consumer.close();
        producer.close(Duration.ofSeconds(5));
    }
}
