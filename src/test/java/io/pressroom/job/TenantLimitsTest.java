package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.pressroom.storage.ObjectStorage;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.LogCapture;
import io.pressroom.testing.Metrics;
import io.pressroom.testing.SilentReceiver;
import io.pressroom.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One project cannot hold more than its share: jobs not yet finished are capped (429 queue_full), live event streams
 * are capped per project (429 too_many_streams), beat with a comment line and end after their longest time. Jobs
 * here go to a queue no renderer reads, so they stay queued for as long as a test needs.
 */
@QuarkusTest
@TestProfile(TenantLimitsTest.Tight.class)
class TenantLimitsTest {

    private static final String PARKED = "parked";
    /** A large body that is read at once and creates nothing (html must be text): 400 when read, 503 refused. */
    private static final String LARGE = "{\"html\": [], \"businessKey\": \"" + "k".repeat(50_000) + "\"}";

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("pressroom.jobs.dispatch-window", "4"),
                    Map.entry("pressroom.jobs.queues", "default,priority," + PARKED),
                    // nobody reads the parked queue: the reaper must not take its jobs for lost meanwhile
                    Map.entry("pressroom.jobs.queued-deadline", "10m"),
                    Map.entry("pressroom.jobs.max-unfinished-per-project", "3"),
                    Map.entry("pressroom.http.streams-per-project", "2"),
                    Map.entry("pressroom.http.stream-heartbeat", "1s"),
                    Map.entry("pressroom.http.stream-max-duration", "4s"),
                    Map.entry("pressroom.http.streamed-bodies-per-project", "2"),
                    Map.entry("pressroom.http.streamed-bodies", "3"),
                    // one project may hold half: 1 MiB
                    Map.entry("pressroom.http.bodies-in-flight", "2M"),
                    // a hanging receiver holds its try this long
                    Map.entry("pressroom.webhooks.timeout", "30s"),
                    Map.entry("pressroom.webhooks.concurrency", "4"),
                    Map.entry("pressroom.webhooks.concurrency-per-project", "2"),
                    Map.entry("pressroom.downloads.max-concurrent-per-project", "2"),
                    Map.entry("pressroom.downloads.stall-timeout", "2s"),
                    // one usage query spends it all
                    Map.entry("pressroom.http.usage-database-time-per-minute", "1ms"));
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    ObjectStorage storage;

    @Inject
    Pool database;

    private static Response create(TestProject project, Map<String, Object> body) {
        return project.call().body(body).post("/v1/render-jobs");
    }

    private static String parkedJob(TestProject project) {
        return create(project, Map.of("html", "<p>waits</p>", "queue", PARKED)).then().statusCode(202).extract()
                .path("job.id");
    }

    /**
     * Fair dispatch keeps a window per queue: more commands on a queue nobody reads than its window holds (4) wait
     * in the outbox, and must not keep another queue's job from going out.
     */
    @Test
    void aQueueNobodyReadsDoesNotHoldUpTheOthers() {
        List<TestProject> parkers = List.of(Api.newProject(), Api.newProject());
        List<String> parked = new ArrayList<>();
        for (TestProject project : parkers) {
            for (int i = 0; i < 3; i++) {
                parked.add(parkedJob(project));
            }
        }
        TestProject other = Api.newProject();
        try {
            // two of them wait in the outbox, counted as held (refreshed every 15 s), not as a stuck outbox
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Metrics.sum("pressroom_outbox_held") >= 2);
            assertThat(Metrics.sum("pressroom_outbox_oldest_seconds")).isLessThan(5);
            String job = create(other, Map.of("html", "<p>renders</p>")).then().statusCode(202).extract()
                    .path("job.id");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> other.call().get("/v1/render-jobs/" + job).then().extract().path("job.status"),
                            "succeeded"::equals);
        } finally {
            for (int i = 0; i < parked.size(); i++) {
                parkers.get(i / 3).call().delete("/v1/render-jobs/" + parked.get(i)).then().statusCode(204);
            }
        }
    }

    @Test
    void aProjectWithItsQueueFullIsToldToComeBackAndOthersAreNot() {
        TestProject busy = Api.newProject();
        TestProject other = Api.newProject();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            jobs.add(parkedJob(busy));
        }
        Map<String, Object> keyed = Map.of("html", "<p>keyed</p>", "queue", PARKED);
        String keyedJob = busy.call().header("Idempotency-Key", "k-1").body(keyed).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");

        double refused = Metrics.sum("pressroom_jobs_refused_total", "code=\"queue_full\"");
        Response full = create(busy, Map.of("html", "<p>one more</p>", "queue", PARKED));
        full.then().statusCode(429).contentType("application/problem+json")
                .body("code", equalTo("queue_full"), "status", equalTo(429), "title", equalTo("Too many requests"));
        assertThat(Long.parseLong(full.header("Retry-After"))).isPositive();
        assertThat(Metrics.sum("pressroom_jobs_refused_total", "code=\"queue_full\"")).as("for the alert")
                .isEqualTo(refused + 1);
        // nothing was made
        busy.call().get("/v1/render-jobs").then().statusCode(200).body("data.size()", equalTo(3));
        // a replay of an Idempotency-Key is the job it made then, not a new one
        busy.call().header("Idempotency-Key", "k-1").body(keyed).post("/v1/render-jobs").then().statusCode(202)
                .body("job.id", equalTo(keyedJob));
        // another project is not affected
        parkedJob(other);

        // a job that ends frees its place
        busy.call().delete("/v1/render-jobs/" + jobs.get(0)).then().statusCode(204);
        parkedJob(busy);
        create(busy, Map.of("html", "<p>again</p>", "queue", PARKED)).then().statusCode(429);
    }

    @Test
    void eventStreamsAreCappedPerProjectBeatAndEndAfterTheirLongestTime() throws Exception {
        TestProject watcher = Api.newProject();
        TestProject other = Api.newProject();
        String jobId = parkedJob(watcher);

        HttpResponse<Stream<String>> first = openStream(watcher, jobId, null);
        HttpResponse<Stream<String>> second = openStream(watcher, jobId, null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);

        HttpResponse<Stream<String>> third = openStream(watcher, jobId, null);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        assertThat(third.body().reduce("", String::concat)).contains("\"too_many_streams\"");
        // another project's streams are its own
        HttpResponse<Stream<String>> others = openStream(other, parkedJob(other), null);
        assertThat(others.statusCode()).isEqualTo(200);
        others.body().close();

        // a client that goes away gives its slot back
        second.body().close();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            HttpResponse<Stream<String>> again = openStream(watcher, jobId, null);
            again.body().close();
            return again.statusCode() == 200;
        });

        // the stream sends its events, heartbeats while nothing happens, and ends by itself after 4 s
        long start = System.nanoTime();
        List<String> lines = readToEnd(first);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(lines).contains("event:created", "event:queued");
        assertThat(lines.stream().filter(line -> line.startsWith(":")).count()).isGreaterThanOrEqualTo(2);
        assertThat(lines).allSatisfy(line -> assertThat(line).matches("|(id|event|data|retry)?:.*"));

        // the client resumes where it was, and misses nothing nor sees anything twice
        String lastId = lines.stream().filter(line -> line.startsWith("id:")).reduce((a, b) -> b).orElseThrow()
                .substring(3).trim();
        watcher.call().delete("/v1/render-jobs/" + jobId).then().statusCode(204);
        List<String> resumed = readToEnd(openStream(watcher, jobId, lastId));
        assertThat(resumed).doesNotContain("event:created", "event:queued").contains("event:cancelled");
    }

    private HttpResponse<Stream<String>> openStream(TestProject project, String jobId, String lastEventId)
            throws Exception {
        return Api.openEventStream(port, project.key(), jobId, lastEventId);
    }

    /** Every line of the stream, which must end by itself. */
    private static List<String> readToEnd(HttpResponse<Stream<String>> response) throws Exception {
        return CompletableFuture.supplyAsync(() -> response.body().toList()).get(30, TimeUnit.SECONDS);
    }

    /**
     * Request bodies are held in memory whole: a project whose uploads hold its share of the pod's budget for them
     * (here a slow upload that declared 1 MiB and sent none of it) is told to come back, before its body is read;
     * another project's request goes through, and the share is back once the upload's connection is gone.
     */
    @Test
    void aProjectWhoseUploadsHoldItsShareOfMemoryIsToldToComeBackAndOthersAreNot() throws Exception {
        TestProject busy = Api.newProject();
        TestProject other = Api.newProject();
        Map<String, Object> small = Map.of("html", "<p>small</p>", "queue", PARKED);
        try (Socket slow = slowUpload(busy, 1024 * 1024)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> create(busy, small).statusCode() == 503);

            Response refused = create(busy, small);
            refused.then().statusCode(503).contentType("application/problem+json")
                    .body("code", equalTo("server_busy"), "status", equalTo(503));
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            create(other, small).then().statusCode(202);
        }
        // the upload's connection closed: its reservation ended with it
        await().atMost(Duration.ofSeconds(10)).until(() -> create(busy, small).statusCode() == 202);
    }

    /**
     * A body of unknown length holds what has been read of it, not the largest body: a project's slow chunked upload
     * that has sent 200 KiB leaves the rest of its share to its other requests.
     */
    @Test
    void aChunkedUploadHoldsWhatItHasSentNotTheLargestBody() throws Exception {
        TestProject busy = Api.newProject();
        byte[] sent = new byte[200 * 1024];
        Arrays.fill(sent, (byte) ' ');
        try (Socket slow = new Socket("localhost", port)) {
            OutputStream out = slow.getOutputStream();
            out.write(chunkedHead(busy).getBytes(StandardCharsets.US_ASCII));
            out.write(chunk("{".getBytes(StandardCharsets.US_ASCII)));
            out.write(chunk(sent));
            out.flush();
            // all of it read: what it holds is what it sent, rounded up to the next step of 64 KiB
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Metrics.sum("pressroom_http_bodies_held_bytes") >= sent.length);
            assertThat(Metrics.sum("pressroom_http_bodies_held_bytes")).isLessThanOrEqualTo(sent.length + 64 * 1024);
            create(busy, Map.of("html", "<p>small</p>", "queue", PARKED)).then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.sum("pressroom_http_bodies_held_bytes") == 0);
    }

    /**
     * A chunked body is counted as it is read: when the next step of it does not fit its project's share, it is ended
     * with 503 {@code server_busy} and its connection closed, the rest unread.
     */
    @Test
    void aChunkedUploadThatOutgrowsItsProjectsShareIsEndedWhileReading() throws Exception {
        TestProject busy = Api.newProject();
        // holds 900 of the project's 1,024 KiB
        try (Socket slow = slowUpload(busy, 900 * 1024); Socket chunked = new Socket("localhost", port)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(
                    () -> assertThat(Metrics.sum("pressroom_http_bodies_held_bytes")).isGreaterThanOrEqualTo(900 * 1024));

            chunked.setSoTimeout(30_000);
            OutputStream out = chunked.getOutputStream();
            out.write(chunkedHead(busy).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] spaces = new byte[16 * 1024];
            Arrays.fill(spaces, (byte) ' ');
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    out.write(chunk("{".getBytes(StandardCharsets.US_ASCII)));
                    for (int i = 0; i < 32; i++) { // 512 KiB: more than the 124 KiB left
                        out.write(chunk(spaces));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // the server closes while the rest of the refused body is still being sent
                }
            });
            String answer = readUntilClosed(chunked.getInputStream());
            sending.get(30, TimeUnit.SECONDS);
            assertThat(answer).startsWith("HTTP/1.1 503").containsIgnoringCase("connection: close")
                    .containsIgnoringCase("retry-after: 1").contains("\"code\":\"server_busy\"");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.sum("pressroom_http_bodies_held_bytes") == 0);
    }

    /**
     * A body over the REST layer's input buffer (10 KiB) is read as it comes, on a worker thread that waits for each
     * part. Two stalled uploads of one project (12 KiB sent, then nothing) are all it may have: its next large body is
     * refused unread, with its connection closed, while another project's large body goes through. Before, one
     * project's 200 such uploads took every worker thread, and another project's 50 KB create waited until they ended.
     */
    @Test
    void aProjectsStalledLargeUploadsHoldTwoWorkerThreadsNotAll() throws Exception {
        TestProject busy = Api.newProject();
        TestProject other = Api.newProject();
        try (Socket first = stalledUpload(busy); Socket second = stalledUpload(busy)) {
            // once both are read on worker threads, the project's next large body is refused unread
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> busy.call().body(LARGE).post("/v1/render-jobs").statusCode() == 503);
            Response refused = busy.call().body(LARGE).post("/v1/render-jobs");
            refused.then().statusCode(503).contentType("application/problem+json")
                    .body("code", equalTo("server_busy"), "detail", containsString("2 large request bodies"));
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.header("Connection")).isEqualTo("close");

            create(other, Map.of("html", "<p>" + "y".repeat(50_000) + "</p>", "queue", PARKED)).then()
                    .statusCode(202);
            busy.call().body(LARGE.substring(0, 200) + "\"}").post("/v1/render-jobs").then().statusCode(400);
        }
        // the stalled uploads' connections closed: the project's large bodies are read again
        await().atMost(Duration.ofSeconds(10))
                .until(() -> busy.call().body(LARGE).post("/v1/render-jobs").statusCode() == 400);
    }

    /**
     * Many projects' stalled uploads together hold at most the pod's share of worker threads (3 here): another
     * project's large body is then refused at once, and the threads left do the rest. Before, 13 projects' 16 stalled
     * uploads each took all 200 worker threads on the local run, and another project's 50 KB and 100 KB creates got no
     * answer in 20 s.
     */
    @Test
    void manyProjectsStalledLargeUploadsHoldThePodsShareOfWorkerThreads() throws Exception {
        TestProject first = Api.newProject();
        TestProject second = Api.newProject();
        TestProject other = Api.newProject();
        try (Socket one = stalledUpload(first); Socket two = stalledUpload(first); Socket three = stalledUpload(second)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> other.call().body(LARGE).post("/v1/render-jobs").statusCode() == 503);
            other.call().body(LARGE).post("/v1/render-jobs").then().statusCode(503)
                    .body("code", equalTo("server_busy"), "detail", containsString("3 large request bodies at once"));
            create(other, Map.of("html", "<p>small</p>", "queue", PARKED)).then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> other.call().body(LARGE).post("/v1/render-jobs").statusCode() == 400);
    }

    /** A large upload (chunked) that sends 12 KiB, more than the REST layer's input buffer, and then nothing. */
    private Socket stalledUpload(TestProject project) throws IOException {
        Socket socket = new Socket("localhost", port);
        OutputStream out = socket.getOutputStream();
        out.write(chunkedHead(project).getBytes(StandardCharsets.US_ASCII));
        out.write(chunk(("{\"html\": \"<p>" + "x".repeat(12 * 1024)).getBytes(StandardCharsets.US_ASCII)));
        out.flush();
        return socket;
    }

    /**
     * A download whose client takes nothing for the stall timeout (2 s here) is cut off: its places are given back
     * (the project's 2 here), and its connection is reset at once. Before, an HTTP/1.1 connection was closed only
     * once what had been written to it was flushed: a client that read no more kept it, and the unsent part of the
     * file, until the idle timeout (30 min), while its project started as many more as it liked.
     */
    @Test
    void aStalledDownloadIsCutOffAndItsConnectionReset() throws Exception {
        TestProject owner = Api.newProject();
        byte[] big = new byte[4 * 1024 * 1024];
        new Random(11).nextBytes(big);
        String job = HeldDownloads.jobWithOutput(owner, big, storage, database);
        String output = "/v1/render-jobs/" + job + "/output";
        try (LogCapture logs = LogCapture.install();
                Socket first = HeldDownloads.open(port, owner, job);
                Socket second = HeldDownloads.open(port, owner, job)) {
            for (Socket held : List.of(first, second)) {
                assertThat(HeldDownloads.statusLine(held)).isEqualTo("HTTP/1.1 200 OK");
            }
            owner.call().get(output).then().statusCode(429).body("code", equalTo("too_many_downloads"));

            await().atMost(Duration.ofSeconds(15)).until(() -> owner.call().get(output).statusCode() == 200);
            for (Socket held : List.of(first, second)) {
                held.setSoTimeout(10_000);
                assertThatThrownBy(() -> held.getInputStream().transferTo(OutputStream.nullOutputStream()))
                        .as("what the client reads after the cut-off ends in a reset")
                        .isInstanceOf(SocketException.class).hasMessageContaining("reset");
            }
            // the cut-off is logged once, at INFO; the failed writes of the streams it ended are not printed
            assertThat(logs.lines()).filteredOn(line -> line.message().contains("was cut off")).hasSize(2)
                    .allMatch(line -> line.record().getLevel().intValue() == Level.INFO.intValue());
            assertThat(logs.lines()).filteredOn(line -> line.logger().startsWith("org.jboss.resteasy")
                    || line.logger().startsWith("io.vertx") || line.logger().startsWith("io.netty"))
                    .noneMatch(line -> LogCapture.console().isLoggable(line.record()));
        }
    }

    /**
     * A usage query sums every job of its period, so its cost grows with the project's jobs, not its requests: each
     * project may spend a budget of database time on them (1 ms a minute here, which one query spends), and its next
     * query is refused until the budget refills, while another project's is answered.
     */
    @Test
    void aProjectsUsageQueriesSpendItsShareOfDatabaseTimeNotEveryones() {
        TestProject busy = Api.newProject();
        TestProject other = Api.newProject();
        busy.call().get("/v1/usage").then().statusCode(200);
        Response refused = busy.call().get("/v1/usage");
        refused.then().statusCode(429).contentType("application/problem+json").body("code", equalTo("rate_limited"),
                "detail", containsString("database time"));
        // the query's time is owed: the wait is as long as the budget takes to refill it
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
        other.call().get("/v1/usage").then().statusCode(200);
    }

    /**
     * Webhook tries wait for their receivers without holding up anyone else's: a project whose receivers take every
     * connection and never answer holds its share of the pod's tries (2 of 4 here), and another project's webhook
     * goes out at once.
     */
    @Test
    void aProjectWhoseReceiversHangHoldsItsShareOfWebhookTriesAndOthersAreDeliveredAtOnce() throws Exception {
        TestProject careless = Api.newProject();
        TestProject other = Api.newProject();
        try (SilentReceiver silent = new SilentReceiver(); WebhookReceiver receiver = new WebhookReceiver()) {
            for (String path : List.of("/a", "/b")) {
                careless.call().body(Map.of("url", silent.url(path), "events", List.of("job.cancelled")))
                        .post("/v1/webhooks").then().statusCode(201);
            }
            for (int i = 0; i < 3; i++) {
                cancelledJob(careless, silent.url("/job"));
            }
            // 9 deliveries due; the project's share of them are tried, and wait
            await().atMost(Duration.ofSeconds(10)).until(() -> silent.open() == 2);

            long cancelled = System.nanoTime();
            cancelledJob(other, receiver.url("/other"));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received("/other").size() == 1);
            System.out.printf("other project's webhook after %d ms, %d tries waiting%n",
                    (System.nanoTime() - cancelled) / 1_000_000, silent.open());
            assertThat(silent.open()).isEqualTo(2);
            assertThat(silent.accepted()).isEqualTo(2);
        }
    }

    private static void cancelledJob(TestProject project, String webhookUrl) {
        String job = create(project, Map.of("html", "<p>waits</p>", "queue", PARKED, "webhookUrl", webhookUrl))
                .then().statusCode(202).extract().path("job.id");
        project.call().delete("/v1/render-jobs/" + job).then().statusCode(204);
    }

    /**
     * Over HTTP/2 a body may come without {@code Content-Length} and without chunked encoding: it is counted as it is
     * read too, not let past the budget.
     */
    @Test
    void aBodyWithoutLengthOverHttp2IsCountedToo() throws Exception {
        TestProject busy = Api.newProject();
        TestProject other = Api.newProject();
        Vertx vertx = Vertx.vertx();
        HttpClient h2c = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setDefaultHost("localhost").setDefaultPort(port));
        try (Socket slow = slowUpload(busy, 1024 * 1024)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Metrics.sum("pressroom_http_bodies_held_bytes") >= 1024 * 1024);

            H2Answer refused = postWithoutLength(h2c, busy);
            assertThat(refused.version()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.retryAfter()).isEqualTo("1");
            assertThat(refused.body()).contains("\"code\":\"server_busy\"");
            assertThat(postWithoutLength(h2c, other).status()).isEqualTo(202);
        } finally {
            h2c.close();
            vertx.close();
        }
    }

    record H2Answer(HttpVersion version, int status, String retryAfter, String body) {
    }

    private static H2Answer postWithoutLength(HttpClient h2c, TestProject project) throws Exception {
        return h2c.request(HttpMethod.POST, "/v1/render-jobs").compose((HttpClientRequest request) -> {
            request.putHeader("Authorization", "Bearer " + project.key())
                    .putHeader("Content-Type", "application/json").setChunked(true); // no Content-Length
            request.write(Buffer.buffer("{\"html\": \"<p>small</p>\", \"queue\": \"" + PARKED + "\"}"));
            request.end();
            return request.response();
        }).compose((HttpClientResponse response) -> response.body().map(body -> new H2Answer(response.version(),
                response.statusCode(), response.getHeader("Retry-After"), body.toString())))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A JSON upload that declares {@code length} bytes and sends only its first: it holds them until closed. */
    private Socket slowUpload(TestProject project, int length) throws IOException {
        Socket slow = new Socket("localhost", port);
        OutputStream out = slow.getOutputStream();
        out.write(("POST /v1/render-jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + project.key()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return slow;
    }

    private static String chunkedHead(TestProject project) {
        return "POST /v1/render-jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + project.key()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    }

    private static byte[] chunk(byte[] data) {
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = Arrays.copyOf(size, size.length + data.length + 2);
        System.arraycopy(data, 0, framed, size.length, data.length);
        framed[framed.length - 2] = '\r';
        framed[framed.length - 1] = '\n';
        return framed;
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
