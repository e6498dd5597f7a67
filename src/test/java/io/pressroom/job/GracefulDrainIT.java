package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.testing.AppProcess;
import io.pressroom.testing.stack.KafkaServer;
import io.pressroom.testing.stack.PostgresServer;
import io.pressroom.testing.stack.PressroomTestStack;
import io.pressroom.testing.stack.S3Server;
import io.pressroom.testing.stack.Stack;

/**
 * The packaged application stopped with a render in flight. SIGTERM, as Kubernetes sends it in a rolling update: it
 * takes no new command, lets the render finish and report, then exits; after the restart the job has succeeded on
 * its first attempt — no render was lost or repeated. SIGKILL, as when a node dies: the job is rendered again soon
 * after the restart, even when its command is not delivered again (the renderer's lease ends), not at the render
 * budget's deadline minutes later.
 */
class GracefulDrainIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "pra_drain_admin_key";
    private static final Path LOG_DIR = Path.of(System.getProperty("pressroom.it.log-dir", "target/multipod"))
            .toAbsolutePath();

    private static PostgresServer postgres;
    private static KafkaServer kafka;
    private static S3Server s3;
    private static Map<String, String> config;

    @BeforeAll
    static void startStack() throws Exception {
        postgres = new PostgresServer(0, null);
        kafka = new KafkaServer(0, null);
        s3 = new S3Server(0, null);
        Stack.startAll(postgres, kafka, s3);
        config = new LinkedHashMap<>(PressroomTestStack.packagedAppConfig(postgres, kafka.bootstrapServers(), s3, ADMIN_KEY));
    }

    @AfterAll
    static void stopStack() {
        Stack.closeAll(s3, kafka, postgres);
    }

    @Test
    void rendersInFlightFinishAndReportThenTheProcessExitsWithoutWaitingForACommandItDidNotStart() throws Exception {
        String key;
        List<String> jobIds = new ArrayList<>();
        try (AppProcess first = AppProcess.start("drain-1", config, LOG_DIR)) {
            first.awaitReady(Duration.ofSeconds(120));
            key = newProjectKey(first, "drain");
            // two render at once (pressroom.chromium.concurrency); the third is delivered while the first two drain.
            // 8 s each, so that they are still in flight at the stop although 'rendering' reaches the API through
            // Kafka late on a loaded machine (4 s was not always enough: the renders had ended, nothing drained)
            for (int i = 0; i < 3; i++) {
                jobIds.add(first.call("POST", "/v1/render-jobs", key, Map.of("html", "<p>drained " + i + "</p>",
                        "options", Map.of("waitDelayMs", 8000)), 202).at("/job/id").asText());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> statuses(first, key, jobIds).stream()
                    .filter("rendering"::equals).count() == 2);

            long stop = System.nanoTime();
            first.requestStop();
            assertThat(first.awaitExit(Duration.ofSeconds(120))).as(first.tail(40)).isIn(0, 143);
            double seconds = (System.nanoTime() - stop) / 1e9;
            assertThat(first.tail(200)).contains("Draining");
            // the renders take 8 s, then each consumer waits up to its commit interval (5 s) for what is unprocessed;
            // the command not started must not hold the exit: it did for 60 s more, until the worker pool gave up
            assertThat(seconds).as("drain took %.1f s:%n%s", seconds, first.tail(60)).isLessThan(40);
        }
        try (AppProcess second = AppProcess.start("drain-2", config, LOG_DIR)) {
            second.awaitReady(Duration.ofSeconds(120));
            for (String id : jobIds) {
                JsonNode done = await().atMost(Duration.ofSeconds(60)).until(
                        () -> second.call("GET", "/v1/render-jobs/" + id, key, null, 200),
                        job -> List.of("succeeded", "failed", "cancelled").contains(job.at("/job/status").asText()));
                assertThat(done.at("/job/status").asText()).as(done.toString()).isEqualTo("succeeded");
                assertThat(done.at("/job/attempt").asInt()).as(done.toString()).isEqualTo(1);
                List<String> timeline = JSON.convertValue(second.call("GET", "/v1/render-jobs/" + id + "/events",
                        key, null, 200).findValuesAsText("type"), List.class);
                assertThat(timeline).doesNotContain("retry_scheduled", "failed");
            }
        }
    }

    /**
     * An API pod stopped (SIGTERM) while a sync wait and an event stream are open on a job no renderer takes: the wait
     * answers its normal 202 at once and the stream ends, instead of both being cut when the server closes; the pod
     * reports not ready while it waits for the load balancer (quarkus.shutdown.delay) and exits well within the grace
     * period (pressroom.http.shutdown-delay + shutdown-timeout).
     */
    @Test
    void anApiPodAnswersItsSyncWaitsAndEndsItsStreamsWhenStopped() throws Exception {
        Map<String, String> api = new LinkedHashMap<>(config);
        api.put("pressroom.role", "api"); // no renderer: the job stays queued, the wait can only end by the shutdown
        try (AppProcess pod = AppProcess.start("api-drain", api, LOG_DIR)) {
            pod.awaitReady(Duration.ofSeconds(120));
            String key = newProjectKey(pod, "api-drain");
            String jobId = pod.call("POST", "/v1/render-jobs", key, Map.of("html", "<p>never rendered</p>"), 202)
                    .at("/job/id").asText();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<HttpResponse<String>> stream = client.sendAsync(HttpRequest.newBuilder(
                    URI.create(pod.url("/v1/render-jobs/" + jobId + "/events"))).header("Authorization", "Bearer " + key)
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> wait = client.sendAsync(HttpRequest.newBuilder(
                    URI.create(pod.url("/v1/render-jobs?wait=20"))).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"html\": \"<p>waited for</p>\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(2000); // both are open and parked
            assertThat(wait).isNotDone();
            assertThat(stream).isNotDone();

            long stop = System.nanoTime();
            pod.requestStop();
            HttpResponse<String> answer = wait.get(10, TimeUnit.SECONDS);
            double answered = (System.nanoTime() - stop) / 1e9;
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            assertThat(JSON.readTree(answer.body()).at("/job/status").asText()).isEqualTo("queued");
            // the sync wait could have lasted 15 s more (pressroom.jobs.sync-wait-max): it ended with the shutdown
            assertThat(answered).as("the sync wait answered %.1f s after SIGTERM", answered).isLessThan(3);
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(pod.managementUrl("/q/health/ready")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            HttpResponse<String> events = stream.get(10, TimeUnit.SECONDS);
            assertThat(events.statusCode()).isEqualTo(200);
            assertThat(events.body()).contains("event:queued");
            // defaults: 3 s for the load balancer, then up to 20 s for requests still open (none is)
            assertThat(pod.awaitExit(Duration.ofSeconds(30))).as(pod.tail(40)).isIn(0, 143);
            double seconds = (System.nanoTime() - stop) / 1e9;
            assertThat(seconds).as("the API pod stopped in %.1f s:%n%s", seconds, pod.tail(40)).isLessThan(15);
        }
    }

    private static List<String> statuses(AppProcess pod, String key, List<String> ids)
            throws IOException, InterruptedException {
        List<String> statuses = new ArrayList<>();
        for (String id : ids) {
            statuses.add(pod.call("GET", "/v1/render-jobs/" + id, key, null, 200).at("/job/status").asText());
        }
        return statuses;
    }

    @Test
    void aRenderCutShortBySigkillIsRenderedAgainSoonAfterTheRestart() throws Exception {
        // a lease of half the default's 30 s, still three heartbeats long: the test waits for it to end
        Map<String, String> leased = new LinkedHashMap<>(config);
        leased.put("pressroom.jobs.rendering-lease", "15s");
        String key;
        String jobId;
        try (AppProcess first = AppProcess.start("kill-1", leased, LOG_DIR)) {
            first.awaitReady(Duration.ofSeconds(120));
            key = newProjectKey(first, "killed");
            jobId = first.call("POST", "/v1/render-jobs", key, Map.of("html", "<p>killed</p>", "options",
                    Map.of("waitDelayMs", 5000)), 202).at("/job/id").asText();
            String id = jobId;
            await().atMost(Duration.ofSeconds(60)).until(() -> "rendering".equals(
                    first.call("GET", "/v1/render-jobs/" + id, key, null, 200).at("/job/status").asText()));
            first.killNow();
        }
        // as FaultSoakIT saw it: the killed render's command is not delivered again (its offset was committed)
        commitRenderersPastEveryCommand();
        try (AppProcess second = AppProcess.start("kill-2", leased, LOG_DIR)) {
            second.awaitReady(Duration.ofSeconds(120));
            String id = jobId;
            // the render budget's deadline is minutes away: this bound is met only when the renderer's lease ends
            JsonNode done = await().atMost(Duration.ofSeconds(40)).until(
                    () -> second.call("GET", "/v1/render-jobs/" + id, key, null, 200),
                    job -> List.of("succeeded", "failed", "cancelled").contains(job.at("/job/status").asText()));
            assertThat(done.at("/job/status").asText()).as(done.toString()).isEqualTo("succeeded");
        }
    }

    /**
     * SIGTERM while object storage is away: the render in flight cannot upload, so the drain time runs out. The
     * process must then exit at once (the render is re-driven), within the grace period; SmallRye's worker pool waited
     * 60 s more for the render's thread, still retrying storage (208 s in all on the local run with the default 130 s
     * drain, past the renderer's 150 s grace period).
     */
    @Test
    void aRendererWhoseStorageIsAwayExitsSoonAfterItsDrainTime() throws Exception {
        Map<String, String> shortDrain = new LinkedHashMap<>(config);
        shortDrain.put("pressroom.chromium.drain-timeout", "5s");
        try (AppProcess pod = AppProcess.start("storage-away", shortDrain, LOG_DIR)) {
            pod.awaitReady(Duration.ofSeconds(120));
            String key = newProjectKey(pod, "storage-away");
            // 6 s, so that its upload comes after storage is stopped although 'rendering' reaches the API late on a
            // loaded machine; the drain's end (3 + 5 s after the stop) finds it waiting or retrying its upload
            String id = pod.call("POST", "/v1/render-jobs", key, Map.of("html", "<p>never stored</p>", "options",
                    Map.of("waitDelayMs", 6000)), 202).at("/job/id").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> "rendering".equals(
                    pod.call("GET", "/v1/render-jobs/" + id, key, null, 200).at("/job/status").asText()));
            s3.stop();
            try {
                long stop = System.nanoTime();
                pod.requestStop();
                assertThat(pod.awaitExit(Duration.ofSeconds(120))).as(pod.tail(40)).isIn(0, 143);
                double seconds = (System.nanoTime() - stop) / 1e9;
                assertThat(Files.readString(pod.log())).contains("Drain time is up with 1 render(s) in flight");
                // the shutdown delay (3 s), the drain (5 s), the render's thread interrupted 5 s later, then each
                // consumer waits up to 5 s for what is unprocessed; before, the render's thread held it 60 s more
                assertThat(seconds).as("exit took %.1f s:%n%s", seconds, pod.tail(60)).isLessThan(45);
            } finally {
                s3.start();
            }
        }
    }

    /** Moves the renderers' consumer group to the end of every command topic, once the killed member has left it. */
    private static void commitRenderersPastEveryCommand() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of("pressroom.render.commands.default",
                        "pressroom.render.commands.priority")).allTopicNames().get().values()
                        .forEach(topic -> topic.partitions().forEach(partition -> latest.put(
                                new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
                Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
                admin.listOffsets(latest).all().get()
                        .forEach((partition, end) -> ends.put(partition, new OffsetAndMetadata(end.offset())));
                // refused while the killed consumer is still a member (until its session times out)
                admin.alterConsumerGroupOffsets("pressroom-renderer", ends).all().get();
                return true;
            });
        }
    }

    private static String newProjectKey(AppProcess pod, String name) throws IOException, InterruptedException {
        JsonNode project = pod.call("POST", "/v1/projects", ADMIN_KEY, Map.of("name", name), 201);
        return pod.call("POST", "/v1/projects/" + project.path("id").asText() + "/keys", ADMIN_KEY,
                Map.of("name", name), 201).path("key").asText();
    }
}
