package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.testing.AppProcess;
import io.pressroom.testing.stack.KafkaServer;
import io.pressroom.testing.stack.PostgresServer;
import io.pressroom.testing.stack.PressroomTestStack;
import io.pressroom.testing.stack.S3Server;
import io.pressroom.testing.stack.Stack;

/**
 * Job changes reach waiters on every API pod, for real: the packaged application in three processes sharing one
 * PostgreSQL, Kafka and S3. Pod A is an API pod that applies every render event; pod B is an API pod whose events
 * consumer is off, so it never applies an event itself and can learn of a job's progress only through PostgreSQL
 * NOTIFY from pod A; the renderer renders. Run by failsafe after {@code package}; logs in {@code target/multipod/}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MultiPodIT {

    private static final String ADMIN_KEY = "pra_multipod_admin_key";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
    private static final Path LOG_DIR = Path.of(System.getProperty("pressroom.it.log-dir", "target/multipod"))
            .toAbsolutePath();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static PostgresServer postgres;
    private static KafkaServer kafka;
    private static S3Server s3;
    private static final List<AppProcess> processes = new ArrayList<>();
    private static AppProcess podA;
    private static AppProcess podB;
    private static AppProcess renderer;
    private static String projectKey;

    @RegisterExtension
    static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            printLogTails();
        }
    };

    @BeforeAll
    static void startPods() throws Exception {
        long started = System.nanoTime();
        try {
            postgres = new PostgresServer(0, null);
            kafka = new KafkaServer(0, null);
            s3 = new S3Server(0, null);
            Stack.startAll(postgres, kafka, s3);
            Map<String, String> common = new LinkedHashMap<>(
                    PressroomTestStack.packagedAppConfig(postgres, kafka.bootstrapServers(), s3, ADMIN_KEY));
            // room for a slow machine: a sync wait that ends with 202 fails the test instead of passing late
            common.put("pressroom.jobs.sync-wait-max", "60s");

            podA = start("pod-a", common, Map.of("pressroom.role", "api"));
            podB = start("pod-b", common, Map.of("pressroom.role", "api",
                    "mp.messaging.incoming.render-events-in.enabled", "false"));
            renderer = start("renderer", common, Map.of("pressroom.role", "renderer"));
            for (AppProcess process : processes) {
                process.awaitReady(START_TIMEOUT);
            }
            System.out.printf("Stack and 3 Pressroom processes up in %.1f s (logs in %s)%n",
                    (System.nanoTime() - started) / 1e9, LOG_DIR);

            JsonNode project = send(podA, "POST", "/v1/projects", ADMIN_KEY, Map.of("name", "multipod"), 201);
            projectKey = send(podA, "POST", "/v1/projects/" + project.path("id").asText() + "/keys", ADMIN_KEY,
                    Map.of("name", "multipod"), 201).path("key").asText();
        } catch (Throwable e) {
            printLogTails();
            throw e;
        }
    }

    private static AppProcess start(String name, Map<String, String> common, Map<String, String> own)
            throws IOException {
        Map<String, String> config = new LinkedHashMap<>(common);
        config.putAll(own);
        AppProcess process = AppProcess.start(name, config, LOG_DIR);
        processes.add(process);
        return process;
    }

    @AfterAll
    static void stopPods() {
        // all at once: each takes a moment to close its Kafka clients (and the renderer its browser)
        processes.forEach(AppProcess::requestStop);
        processes.forEach(AppProcess::close);
        Stack.closeAll(s3, kafka, postgres);
    }

    @Test
    void eachProcessConsumesOnlyWhatItsRoleSays() throws Exception {
        // the premise of the other tests: only pod A applies render events, only the renderer renders
        assertThat(consumers(podA)).containsExactly("render-events-in");
        assertThat(consumers(podB)).isEmpty();
        assertThat(consumers(renderer)).containsExactlyInAnyOrder("render-commands-in", "render-previews-in",
                "render-control-in");
    }

    @Test
    void syncWaitOnAPodThatAppliesNoEventEndsWithTheRenderedJob() throws Exception {
        JsonNode done = send(podB, "POST", "/v1/render-jobs?sync=true", projectKey,
                Map.of("html", "<h1>{{title}}</h1>", "payload", Map.of("title", "across pods")), 200);

        assertThat(done.at("/job/status").asText()).isEqualTo("succeeded");
        assertThat(done.at("/output/pageCount").asInt()).isEqualTo(1);
        assertThat(done.at("/pdf/id").asText()).isNotEmpty();
        HttpResponse<byte[]> pdf = HTTP.send(request(podB, "/v1/render-jobs/" + done.at("/job/id").asText()
                + "/output", projectKey).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(new String(pdf.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    }

    @Test
    void aTimelineStreamedFromPodBFollowsAJobOfPodAToItsEndAndCloses() throws Exception {
        String jobId = send(podA, "POST", "/v1/render-jobs", projectKey,
                Map.of("html", "<p>streamed</p>", "options", Map.of("waitDelayMs", 3000)), 202).at("/job/id").asText();

        HttpResponse<Stream<String>> response = openStream(podB, jobId, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        // still running now, so its end can only reach this stream live, through pod A's NOTIFY
        assertThat(statusOn(podB, jobId)).isIn("queued", "rendering");

        List<SseEvent> events = readToEnd(response);
        assertThat(events).extracting(SseEvent::type).containsSubsequence("created", "queued", "rendering",
                "succeeded").last().isEqualTo("succeeded");
        assertThat(events).extracting(SseEvent::id).isSorted().doesNotHaveDuplicates();
        assertThat(statusOn(podB, jobId)).isEqualTo("succeeded");

        // resuming after "queued" on pod B replays only what came later, and closes again after the terminal event
        long queued = events.stream().filter(e -> e.type().equals("queued")).findFirst().orElseThrow().id();
        List<SseEvent> resumed = readToEnd(openStream(podB, jobId, Long.toString(queued)));
        assertThat(resumed).isNotEmpty().allSatisfy(e -> assertThat(e.id()).isGreaterThan(queued));
        assertThat(resumed).extracting(SseEvent::type).doesNotContain("created", "queued").contains("rendering")
                .last().isEqualTo("succeeded");
    }

    @Test
    void aKeyRevokedOnPodAIsRefusedOnPodBThoughPodBKeptIt() throws Exception {
        String projectId = send(podA, "POST", "/v1/projects", ADMIN_KEY, Map.of("name", "revoked"), 201).path("id")
                .asText();
        JsonNode issued = send(podA, "POST", "/v1/projects/" + projectId + "/keys", ADMIN_KEY, Map.of(), 201);
        String key = issued.path("key").asText();
        send(podB, "GET", "/v1/render-jobs", key, null, 200); // pod B now keeps it for key-cache-ttl (30 s)
        send(podA, "DELETE", "/v1/projects/" + projectId + "/keys/" + issued.path("id").asText(), ADMIN_KEY, null,
                204);
        long revoked = System.nanoTime();
        await("the revoked key refused on pod B", () -> statusOf(podB, key) == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).as("heard through NOTIFY, not by the cache's expiry")
                .isLessThan(Duration.ofSeconds(3));
    }

    private static int statusOf(AppProcess pod, String key) {
        return unchecked(() -> call(pod, "GET", "/v1/render-jobs", key, null).statusCode());
    }

    @Test
    void aCancelOnPodBStopsTheRenderAndEndsTheStreamOnPodA() throws Exception {
        String jobId = send(podA, "POST", "/v1/render-jobs", projectKey,
                Map.of("html", "<p>slow</p>", "options", Map.of("waitDelayMs", 20000)), 202).at("/job/id").asText();
        await("the job rendering (as pod B sees it)", () -> statusOn(podB, jobId).equals("rendering"));
        await("a busy page on the renderer", () -> pagesBusy() > 0);
        HttpResponse<Stream<String>> onPodA = openStream(podA, jobId, null);
        assertThat(onPodA.statusCode()).isEqualTo(200);
        CompletableFuture<List<SseEvent>> streamed = CompletableFuture.supplyAsync(() -> readToEndUnchecked(onPodA));

        long cancelledAt = System.nanoTime();
        assertThat(call(podB, "DELETE", "/v1/render-jobs/" + jobId, projectKey, null).statusCode()).isEqualTo(204);

        // pod B's commit ends pod A's stream; the renderer stops the page long before its 20 s wait is over
        assertThat(streamed.get(15, TimeUnit.SECONDS)).extracting(SseEvent::type).last().isEqualTo("cancelled");
        await("no busy page on the renderer", () -> pagesBusy() == 0);
        assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(15));
        JsonNode job = send(podA, "GET", "/v1/render-jobs/" + jobId, projectKey, null, 200);
        assertThat(job.at("/job/status").asText()).isEqualTo("cancelled");
        assertThat(job.path("output").isNull() || job.path("output").isMissingNode()).as("no output: %s", job)
                .isTrue();
    }

    // --- HTTP ---

    private static HttpRequest.Builder request(AppProcess pod, String path, String key) {
        return HttpRequest.newBuilder(URI.create(pod.url(path))).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + key);
    }

    private static HttpResponse<String> call(AppProcess pod, String method, String path, String key, Object body)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        return HTTP.send(request(pod, path, key).header("Content-Type", "application/json")
                .header("Accept", "application/json").method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Calls and checks the status; the body as JSON. */
    private static JsonNode send(AppProcess pod, String method, String path, String key, Object body, int status)
            throws IOException, InterruptedException {
        HttpResponse<String> response = call(pod, method, path, key, body);
        assertThat(response.statusCode()).as("%s %s on %s: %s", method, path, pod.name(), response.body())
                .isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static String statusOn(AppProcess pod, String jobId) {
        return unchecked(() -> send(pod, "GET", "/v1/render-jobs/" + jobId, projectKey, null, 200).at("/job/status")
                .asText());
    }

    /** A call for a polled condition: its failure is the test's. */
    private static <T> T unchecked(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String metrics(AppProcess pod) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(pod.managementUrl("/q/metrics")))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The channels a process runs a Kafka consumer for, from the consumers' client ids in its metrics. */
    private static Set<String> consumers(AppProcess pod) throws IOException, InterruptedException {
        Matcher consumer = Pattern.compile("client_id=\"kafka-consumer-([a-z-]+)\"").matcher(metrics(pod));
        Set<String> channels = new TreeSet<>();
        while (consumer.find()) {
            channels.add(consumer.group(1));
        }
        return channels;
    }

    /** Pages rendering right now, from the renderer's Prometheus gauge. */
    private static double pagesBusy() {
        try {
            return metrics(renderer).lines().filter(line -> line.startsWith("pressroom_chromium_pool_busy"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + JOB_TIMEOUT.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    // --- server-sent events ---

    record SseEvent(long id, String type) {
    }

    private static HttpResponse<Stream<String>> openStream(AppProcess pod, String jobId, String lastEventId)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(pod, "/v1/render-jobs/" + jobId + "/events", projectKey)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
    }

    /**
     * The events of a stream, read until the server closes it: a stream that does not end by itself within the job
     * timeout fails the test.
     */
    private static List<SseEvent> readToEnd(HttpResponse<Stream<String>> response) throws Exception {
        CompletableFuture<List<SseEvent>> events = CompletableFuture.supplyAsync(() -> readToEndUnchecked(response));
        try {
            return events.get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            response.body().close();
        }
    }

    private static List<SseEvent> readToEndUnchecked(HttpResponse<Stream<String>> response) {
        List<SseEvent> events = new ArrayList<>();
        String[] current = new String[2]; // id, event name
        response.body().forEach(line -> {
            if (line.startsWith("id:")) {
                current[0] = line.substring(3).trim();
            } else if (line.startsWith("event:")) {
                current[1] = line.substring(6).trim();
            } else if (line.isEmpty() && current[0] != null) {
                events.add(new SseEvent(Long.parseLong(current[0]), current[1]));
                current[0] = null;
                current[1] = null;
            }
        });
        return events;
    }

    private static void printLogTails() {
        for (AppProcess process : processes) {
            System.err.printf("----- %s (%s, last 60 lines of %s) -----%n%s%n", process.name(),
                    process.isAlive() ? "running" : "exited", process.log(), process.tail(60));
        }
    }
}
