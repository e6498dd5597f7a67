package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.testing.AppProcess;
import io.pressroom.testing.Signals;
import io.pressroom.testing.WebhookReceiver;
import io.pressroom.testing.stack.KafkaProcess;
import io.pressroom.testing.stack.PostgresServer;
import io.pressroom.testing.stack.PressroomTestStack;
import io.pressroom.testing.stack.S3Server;
import io.pressroom.testing.stack.Stack;
import io.pressroom.testing.stack.StackServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The fault suite (issue 10 point 8): the packaged application under a mixed load from a few client threads while
 * each process it depends on is killed or frozen in turn, then a drain and one JSON summary line (also in
 * {@code target/soak/summary.json}).
 * <p>
 * Every dependency is a process of its own so that it can be frozen or killed: PostgreSQL (a postmaster and its
 * backends), s3proxy (a JVM, filesystem-backed so that its data outlives a restart), Kafka ({@link KafkaProcess}). The
 * application runs as one process with role {@code all}: on 2 shared cores three Pressroom JVMs and a browser would
 * measure the machine more than the product, and killing the one process kills the API and the renderer at once,
 * the harder case ({@link MultiPodIT} covers the split roles). Faults, in turn: SIGKILL of Chromium; for each of
 * PostgreSQL, s3proxy and Kafka a SIGSTOP for {@value #FREEZE_SECONDS} s, then a SIGKILL with {@value #DOWN_SECONDS} s
 * down and a restart on the same port and data; SIGKILL of the application then a restart on the same data, SIGTERM
 * (graceful drain) then a restart. After each, a new job must render within 30 s.
 * <p>
 * System properties: {@code pressroom.soak.minutes} (3, the CI form; 30 for the long form), {@code pressroom.soak.seed}
 * (random; printed), {@code pressroom.soak.clients} (3), {@code pressroom.soak.dir} ({@code target/soak}: data, logs,
 * summary). Traffic stays on 127.0.0.1.
 */
class FaultSoakIT {

    private static final int FREEZE_SECONDS = 20;
    private static final int DOWN_SECONDS = 15;
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    /**
     * Faults allowed a longer recovery than {@link #RECOVERY}, with the reason in the summary: none since the
     * consumers' session timeout is 10 s (it was Kafka's 45 s, and a restart after SIGKILL waited that long for its
     * partitions).
     */
    private static final Map<Fault, Duration> KNOWN_SLOW_RECOVERY = Map.of();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(6);
    private static final String ADMIN_KEY = "pra_soak_admin_key";
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");
    /** Failure codes a fault of this suite explains; any other fails the test. */
    private static final Set<String> EXPLAINED_CODES = Set.of("render_crashed", "storage_error", "cancelled");
    private static final Pattern JOB_ID = Pattern.compile("\"(rj_[A-Za-z0-9]+)\"");

    private static final double MINUTES = Double.parseDouble(System.getProperty("pressroom.soak.minutes", "3"));
    private static final long SEED = Long.getLong("pressroom.soak.seed", System.nanoTime());
    private static final int CLIENTS = Integer.getInteger("pressroom.soak.clients", 3);
    private static final Path DIR = Path.of(System.getProperty("pressroom.soak.dir", "target/soak")).toAbsolutePath();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static PostgresServer postgres;
    private static KafkaProcess kafka;
    private static S3Server s3;
    private static WebhookReceiver webhooks;
    private static Map<String, String> config;
    private static volatile AppProcess app;
    private static final AtomicInteger appStarts = new AtomicInteger();

    private String projectKey;
    private String deployId;
    private volatile boolean stopLoad;
    private final AtomicLong keys = new AtomicLong();
    private final Map<String, String> accepted = new ConcurrentHashMap<>(); // job id → kind
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>(); // "create:202" → count
    private final List<String> twinMismatches = new CopyOnWriteArrayList<>();
    private final Set<Stream<String>> openStreams = ConcurrentHashMap.newKeySet();
    private final List<Map<String, Object>> faults = new ArrayList<>();

    @AfterAll
    static void stopEverything() {
        if (app != null) {
            app.close();
        }
        if (webhooks != null) {
            webhooks.close();
        }
        Stack.closeAll(s3, kafka, postgres);
    }

    @Test
    void nothingIsLostDuplicatedOrStuckWhileEachProcessIsKilledOrFrozenInTurn() throws Exception {
        System.out.printf("FaultSoakIT: seed %d (-Dpressroom.soak.seed=%d repeats the load), %.1f minutes, %d clients, "
                + "files in %s%n", SEED, SEED, MINUTES, CLIENTS, DIR);
        startStack();
        long started = System.nanoTime();
        long startRss = Signals.rssKb(app.pid());
        long startThreads = Signals.threads(app.pid());

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 2);
        List<CompletableFuture<Void>> load = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Random random = new Random(SEED + i);
            load.add(CompletableFuture.runAsync(() -> clientLoop(random, clients), clients));
        }
        long end = started + (long) (MINUTES * 60e9);
        // each fault ends with a new job rendered (the recovery check): a short gap is enough for load to be in
        // flight again at the next one
        Duration gap = Duration.ofSeconds(MINUTES <= 5 ? 4 : 60);
        try {
            sleep(Duration.ofSeconds(6)); // load before the first fault
            do {
                for (Fault fault : Fault.values()) {
                    injectAndCheckRecovery(fault);
                    sleep(gap);
                }
            } while (System.nanoTime() < end);
        } catch (Throwable e) {
            System.err.println("----- " + app.log() + " -----\n" + app.tail(80));
            throw e;
        } finally {
            stopLoad = true;
            openStreams.forEach(Stream::close);
            for (CompletableFuture<Void> client : load) {
                try {
                    client.get(90, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("client did not end: " + e);
                }
            }
            clients.shutdownNow();
        }

        Map<String, String> unfinished = drain();
        Map<String, Object> summary = summary(started, unfinished, startRss, startThreads);
        String line = JSON.writeValueAsString(summary);
        Files.writeString(DIR.resolve("summary.json"), line + "\n");
        System.out.println("FAULT SOAK SUMMARY " + line);

        assertThat(unfinished).as("accepted jobs missing or not terminal after the drain (id → status)").isEmpty();
        assertThat(summary.get("stuck")).as("jobs not terminal after the drain").isEqualTo(0L);
        assertThat(summary.get("duplicateOutputs")).as("jobs with more than one output row").isEqualTo(List.of());
        assertThat(summary.get("shaMismatches")).as("outputs whose stored object differs from its sha256")
                .isEqualTo(List.of());
        assertThat(summary.get("unexplainedFailures")).as("failures no fault explains (id → code)")
                .isEqualTo(Map.of());
        assertThat(twinMismatches).as("twins with one Idempotency-Key that got different jobs").isEmpty();
        assertThat(faults).as("after each fault a new job renders within %s s (known defects: %s)",
                RECOVERY.toSeconds(), KNOWN_SLOW_RECOVERY)
                .allSatisfy(fault -> assertThat(fault.get("recovered")).as(fault.toString()).isEqualTo(true));
    }

    // --- the stack and the application ---

    private void startStack() throws Exception {
        Stack.deleteRecursively(DIR.resolve("data")); // a fresh stack each run; kept afterwards for a look
        Files.createDirectories(DIR.resolve("logs"));
        postgres = new PostgresServer(0, DIR.resolve("data/postgres"));
        kafka = new KafkaProcess(0, DIR.resolve("data/kafka"));
        s3 = new S3Server(0, DIR.resolve("data/s3"));
        Stack.startAll(postgres, kafka, s3);
        webhooks = new WebhookReceiver();
        config = new LinkedHashMap<>(PressroomTestStack.packagedAppConfig(postgres, kafka.bootstrapServers(), s3, ADMIN_KEY));
        config.put("pressroom.role", "all");
        config.put("pressroom.webhooks.allow", "127.0.0.0/8"); // the receiver is on loopback
        startApp();

        JsonNode project = send("POST", "/v1/projects", ADMIN_KEY, Map.of("name", "soak"), 201);
        projectKey = send("POST", "/v1/projects/" + project.path("id").asText() + "/keys", ADMIN_KEY,
                Map.of("name", "soak"), 201).path("key").asText();
        deployId = send("POST", "/v1/deploys", projectKey, Map.of("name", "Soak invoice", "slug", "soak-invoice"), 201)
                .path("id").asText();
        send("POST", "/v1/deploys/" + deployId + "/versions", projectKey, Map.of("html",
                "<h1>Invoice {{title}}</h1><ul>{{#each items}}<li>{{this}}</li>{{/each}}</ul>"), 201);
        // the first render launches the browser: not part of any fault's recovery
        JsonNode warm = send("POST", "/v1/render-jobs?sync=true&wait=60", projectKey,
                Map.of("html", "<p>warm-up</p>"), 200);
        accepted.put(warm.at("/job/id").asText(), "warm-up");
    }

    private static void startApp() throws IOException, InterruptedException {
        AppProcess started = AppProcess.start("soak-app-" + appStarts.incrementAndGet(), config, DIR.resolve("logs"));
        try {
            started.awaitReady(START_TIMEOUT);
        } catch (RuntimeException e) {
            System.err.println(started.tail(80));
            started.close();
            throw e;
        }
        app = started;
    }

    // --- faults ---

    enum Fault {
        CHROMIUM_KILL,
        POSTGRES_FREEZE,
        POSTGRES_KILL,
        S3_FREEZE,
        S3_KILL,
        KAFKA_FREEZE,
        KAFKA_KILL,
        APP_KILL,
        APP_TERM
    }

    private void injectAndCheckRecovery(Fault fault) throws Exception {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("fault", fault.name().toLowerCase());
        record.put("at", Instant.now().toString());
        System.out.printf("%s fault %s (%d jobs accepted so far)%n", Instant.now(), fault, accepted.size());
        switch (fault) {
            case CHROMIUM_KILL -> {
                List<Long> browsers = app.descendants().stream()
                        .filter(p -> p.info().command().orElse("").contains("chromium")).map(ProcessHandle::pid)
                        .toList();
                record.put("processes", browsers.size());
                Signals.send("KILL", browsers);
            }
            case POSTGRES_FREEZE -> freeze(Signals.withDescendants(Signals.postmaster(postgres.dataDir())), record);
            case POSTGRES_KILL -> killAndRestart(postgres,
                    Signals.withDescendants(Signals.postmaster(postgres.dataDir())), record);
            case S3_FREEZE -> freeze(Signals.withDescendants(s3.pid()), record);
            case S3_KILL -> killAndRestart(s3, Signals.withDescendants(s3.pid()), record);
            case KAFKA_FREEZE -> freeze(Signals.withDescendants(kafka.pid()), record);
            case KAFKA_KILL -> killAndRestart(kafka, Signals.withDescendants(kafka.pid()), record);
            case APP_KILL -> {
                app.killNow();
                startApp();
            }
            case APP_TERM -> {
                long stopping = System.nanoTime();
                app.requestStop();
                int status = app.awaitExit(Duration.ofSeconds(170));
                record.put("exitStatus", status);
                record.put("drainSeconds", seconds(System.nanoTime() - stopping));
                app.close();
                startApp();
            }
        }
        long faultEnded = System.nanoTime();
        Duration bound = KNOWN_SLOW_RECOVERY.getOrDefault(fault, RECOVERY);
        String probe = renderProbe(faultEnded + bound.toNanos());
        long recovery = System.nanoTime() - faultEnded;
        record.put("recovered", probe != null);
        record.put("recoverySeconds", seconds(recovery));
        record.put("within30s", probe != null && recovery <= RECOVERY.toNanos());
        if (KNOWN_SLOW_RECOVERY.containsKey(fault)) {
            record.put("knownDefect", "recovery bound " + bound.toSeconds() + " s: Kafka session timeout");
        }
        record.put("probeJob", probe);
        System.out.printf("%s after %s: %s%n", Instant.now(), fault, record);
        faults.add(record);
    }

    /** SIGSTOP of the processes for {@value #FREEZE_SECONDS} s, then SIGCONT (also when interrupted). */
    private static void freeze(List<Long> pids, Map<String, Object> record) throws Exception {
        record.put("processes", pids.size());
        Signals.send("STOP", pids);
        try {
            sleep(Duration.ofSeconds(FREEZE_SECONDS));
        } finally {
            Signals.send("CONT", pids);
        }
    }

    /**
     * SIGKILL of the processes, {@value #DOWN_SECONDS} s down, then the server started again on the same port and data
     * (PostgreSQL recovers from its WAL, s3proxy's files and Kafka's log directory are kept).
     */
    private static void killAndRestart(StackServer server, List<Long> pids, Map<String, Object> record)
            throws Exception {
        record.put("processes", pids.size());
        Signals.send("KILL", pids);
        if (!Signals.awaitGone(pids, Duration.ofSeconds(10))) {
            throw new IllegalStateException("still running 10 s after SIGKILL: " + pids);
        }
        sleep(Duration.ofSeconds(DOWN_SECONDS));
        long restarting = System.nanoTime();
        server.restart();
        record.put("restartSeconds", seconds(System.nanoTime() - restarting));
    }

    /** A new job, created (retried while refused) and rendered before the deadline: its id, or null. */
    private String renderProbe(long deadline) throws InterruptedException {
        String key = "soak-probe-" + SEED + "-" + keys.incrementAndGet();
        String jobId = null;
        while (System.nanoTime() < deadline) {
            try {
                if (jobId == null) {
                    HttpResponse<String> created = call("POST", "/v1/render-jobs", projectKey,
                            Map.of("html", "<p>probe</p>"), key);
                    if (created.statusCode() == 202) {
                        jobId = JSON.readTree(created.body()).at("/job/id").asText();
                        accepted.put(jobId, "probe");
                    }
                } else {
                    HttpResponse<String> job = call("GET", "/v1/render-jobs/" + jobId, projectKey, null, null);
                    String status = job.statusCode() == 200 ? JSON.readTree(job.body()).at("/job/status").asText() : "";
                    if (status.equals("succeeded")) {
                        return jobId;
                    }
                    if (TERMINAL.contains(status)) {
                        System.err.println("probe job " + jobId + " ended " + job.body());
                        return null;
                    }
                }
            } catch (IOException e) {
                // refused or timed out: the fault is not over yet, try again
            }
            Thread.sleep(250);
        }
        System.err.println("probe job " + jobId + " did not render in time");
        return null;
    }

    // --- the load ---

    private void clientLoop(Random random, ExecutorService streams) {
        while (!stopLoad) {
            int pick = random.nextInt(100);
            try {
                if (pick < 30) {
                    create("inline", jobBody(random, false), "");
                } else if (pick < 50) {
                    create("deploy", jobBody(random, true), "");
                } else if (pick < 60) {
                    twins(jobBody(random, random.nextBoolean()));
                } else if (pick < 70) {
                    cancelSoon(random);
                } else if (pick < 85) {
                    create("sync", jobBody(random, random.nextBoolean()), "?sync=true&wait=10");
                } else if (pick < 90) {
                    String jobId = create("streamed", jobBody(random, false), "");
                    if (jobId != null) {
                        streams.execute(() -> stream(jobId));
                    }
                } else {
                    count("list", call("GET", "/v1/render-jobs?limit=5", projectKey, null, null).statusCode());
                }
            } catch (IOException | UncheckedIOException e) {
                count("error", e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(800 + random.nextInt(1700));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Map<String, Object> jobBody(Random random, boolean fromDeploy) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (fromDeploy) {
            body.put("deployId", deployId);
        } else {
            body.put("html", "<h2>{{title}}</h2><p>{{#each items}}{{this}} {{/each}}</p>");
        }
        List<String> items = new ArrayList<>();
        for (int i = random.nextInt(20); i > 0; i--) {
            items.add("item " + random.nextInt(1000));
        }
        body.put("payload", Map.of("title", "soak " + random.nextInt(1_000_000), "items", items));
        if (random.nextInt(10) < 3) {
            body.put("formats", List.of("pdf", "png"));
        }
        if (random.nextInt(10) < 3) {
            body.put("webhookUrl", webhooks.url("/soak"));
        }
        if (random.nextInt(4) == 0) {
            body.put("options", Map.of("waitDelayMs", random.nextInt(1500)));
        }
        return body;
    }

    /** Creates a job; its id when accepted (202, or 200 from a sync wait), else null. */
    private String create(String kind, Map<String, Object> body, String query) throws IOException, InterruptedException {
        HttpResponse<String> response = call("POST", "/v1/render-jobs" + query, projectKey, body,
                "soak-" + SEED + "-" + keys.incrementAndGet());
        count(kind, response.statusCode());
        return acceptedJob(kind, response);
    }

    private String acceptedJob(String kind, HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200 && response.statusCode() != 202) {
            return null;
        }
        String jobId = JSON.readTree(response.body()).at("/job/id").asText();
        accepted.put(jobId, kind);
        return jobId;
    }

    /** Two requests at once with one Idempotency-Key and one body: at most one job. */
    private void twins(Map<String, Object> body) throws IOException, InterruptedException {
        String key = "soak-twin-" + SEED + "-" + keys.incrementAndGet();
        CompletableFuture<HttpResponse<String>> first = callAsync("POST", "/v1/render-jobs", body, key);
        CompletableFuture<HttpResponse<String>> second = callAsync("POST", "/v1/render-jobs", body, key);
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> twin : List.of(first, second)) {
            try {
                HttpResponse<String> response = twin.join();
                count("twin", response.statusCode());
                String jobId = acceptedJob("twin", response);
                if (jobId != null) {
                    ids.add(jobId);
                }
            } catch (RuntimeException e) {
                count("error", "twin " + e.getCause().getClass().getSimpleName());
            }
        }
        if (ids.size() == 2 && !ids.get(0).equals(ids.get(1))) {
            twinMismatches.add(key + " → " + ids);
        }
    }

    private void cancelSoon(Random random) throws IOException, InterruptedException {
        Map<String, Object> body = jobBody(random, false);
        body.put("options", Map.of("waitDelayMs", 2000 + random.nextInt(2000)));
        String jobId = create("cancelled", body, "");
        if (jobId != null) {
            Thread.sleep(random.nextInt(2500));
            count("cancel", call("DELETE", "/v1/render-jobs/" + jobId, projectKey, null, null).statusCode());
        }
    }

    /** Follows a job's live timeline until the server closes it; counts how the stream ended. */
    private void stream(String jobId) {
        String last = "none";
        try {
            HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                    app.url("/v1/render-jobs/" + jobId + "/events"))).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + projectKey).header("Accept", "text/event-stream").GET()
                    .build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                count("sse", response.statusCode());
                return;
            }
            openStreams.add(response.body());
            try (Stream<String> lines = response.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("event:")) {
                        last = line.substring(6).trim();
                    }
                }
            } finally {
                openStreams.remove(response.body());
            }
            count("sse", TERMINAL.contains(last) ? "ended " + last : "closed after " + last);
        } catch (IOException | UncheckedIOException e) {
            count("sse", "broken after " + last); // the application was killed or restarted meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void count(String what, Object outcome) {
        requests.computeIfAbsent(what + ":" + outcome, k -> new AtomicInteger()).incrementAndGet();
    }

    // --- drain and summary ---

    /** Waits until every accepted job is terminal; those that are not (id → status, "missing" when unknown). */
    private Map<String, String> drain() throws Exception {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        Map<String, String> unfinished;
        do {
            unfinished = new TreeMap<>();
            Map<String, String> statuses = statuses();
            for (String jobId : accepted.keySet()) {
                String status = statuses.getOrDefault(jobId, "missing");
                if (!TERMINAL.contains(status)) {
                    unfinished.put(jobId, status);
                }
            }
            if (unfinished.isEmpty()) {
                return unfinished;
            }
            Thread.sleep(2000);
        } while (System.nanoTime() < deadline);
        return unfinished;
    }

    private Map<String, String> statuses() throws SQLException {
        Map<String, String> statuses = new LinkedHashMap<>();
        query("select id, status from render_jobs", row -> statuses.put(row.getString(1), row.getString(2)));
        return statuses;
    }

    private Map<String, Object> summary(long started, Map<String, String> unfinished, long startRss,
            long startThreads) throws Exception {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("seed", SEED);
        summary.put("minutes", MINUTES);
        summary.put("seconds", seconds(System.nanoTime() - started));
        summary.put("accepted", accepted.size());
        summary.put("lost", unfinished.size());
        summary.put("lostJobs", unfinished);
        long[] stuck = { 0 };
        query("select count(*) from render_jobs where status not in ('succeeded', 'failed', 'cancelled')",
                row -> stuck[0] = row.getLong(1));
        summary.put("stuck", stuck[0]);

        Map<String, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> byCode = new TreeMap<>();
        Map<String, String> unexplained = new TreeMap<>();
        query("select id, status, error_code from render_jobs", row -> {
            byStatus.merge(row.getString(2), 1, Integer::sum);
            String code = row.getString(3);
            if (code != null) {
                byCode.merge(code, 1, Integer::sum);
                if (!EXPLAINED_CODES.contains(code)) {
                    unexplained.put(row.getString(1), code);
                }
            }
        });
        summary.put("byStatus", byStatus);
        summary.put("byErrorCode", byCode);
        summary.put("unexplainedFailures", unexplained);

        List<String> duplicates = new ArrayList<>();
        query("select job_id, count(*) from render_outputs group by job_id having count(*) > 1",
                row -> duplicates.add(row.getString(1) + " ×" + row.getInt(2)));
        summary.put("duplicateOutputs", duplicates);
        summary.putAll(checkStoredOutputs());

        long[] renders = { 0, 0, 0 }; // rendering events, jobs that rendered, most for one job
        query("select job_id, count(*) from job_events where type = 'rendering' group by job_id", row -> {
            renders[0] += row.getLong(2);
            renders[1]++;
            renders[2] = Math.max(renders[2], row.getLong(2));
        });
        summary.put("rendersPerJob", renders[1] == 0 ? 0 : Math.round(100.0 * renders[0] / renders[1]) / 100.0);
        summary.put("maxRendersPerJob", renders[2]);

        summary.put("twins", Map.of("mismatches", twinMismatches));
        summary.put("webhooks", webhookCounts());
        summary.put("requests", new TreeMap<>(requests));
        summary.put("faults", faults);
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("starts", appStarts.get());
        process.put("rssKbStart", startRss);
        process.put("rssKbEnd", Signals.rssKb(app.pid()));
        process.put("threadsStart", startThreads);
        process.put("threadsEnd", Signals.threads(app.pid()));
        summary.put("app", process);
        return summary;
    }

    /** Each available output's object read back from S3 and hashed; output directories no row refers to. */
    private Map<String, Object> checkStoredOutputs() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>(); // storage key → sha256
        query("select storage_key, sha256 from render_outputs where state = 'available'",
                row -> expected.put(row.getString(1), row.getString(2)));
        List<String> mismatches = new ArrayList<>();
        int orphans = 0;
        try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3.endpoint()))
                .region(Region.of(S3Server.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                .forcePathStyle(true).httpClient(ApacheHttpClient.create()).build()) {
            for (Map.Entry<String, String> output : expected.entrySet()) {
                byte[] stored = client.getObjectAsBytes(b -> b.bucket("pressroom").key(output.getKey())).asByteArray();
                if (!sha256(stored).equalsIgnoreCase(output.getValue())) {
                    mismatches.add(output.getKey());
                }
            }
            Set<String> referenced = ConcurrentHashMap.newKeySet();
            query("select storage_key from render_outputs",
                    row -> referenced.add(row.getString(1).substring(0, row.getString(1).lastIndexOf('/') + 1)));
            Set<String> stored = new TreeSet<>();
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket("pressroom").prefix("outputs/"))
                    .contents()) {
                stored.add(object.key().substring(0, object.key().lastIndexOf('/') + 1));
            }
            stored.removeAll(referenced);
            orphans = stored.size();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("outputsChecked", expected.size());
        result.put("shaMismatches", mismatches);
        result.put("orphanedOutputDirs", orphans);
        return result;
    }

    private Map<String, Object> webhookCounts() throws Exception {
        String secret = send("GET", "/v1/webhooks/job-secret", projectKey, null, 200).path("secret").asText();
        Set<String> jobs = ConcurrentHashMap.newKeySet();
        int badSignatures = 0;
        for (WebhookReceiver.Received received : webhooks.received("/soak")) {
            if (!received.signedWith(secret)) {
                badSignatures++;
            }
            Matcher job = JOB_ID.matcher(received.body());
            if (job.find()) {
                jobs.add(job.group(1));
            }
        }
        long[] wanted = { 0 };
        query("select count(*) from render_jobs where webhook_url is not null", row -> wanted[0] = row.getLong(1));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("jobsWithWebhook", wanted[0]);
        counts.put("jobsNotified", jobs.size());
        counts.put("deliveries", webhooks.received("/soak").size());
        counts.put("badSignatures", badSignatures);
        return counts;
    }

    // --- plumbing ---

    private interface Row {
        void read(ResultSet row) throws SQLException;
    }

    private static void query(String sql, Row each) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER,
                PostgresServer.PASSWORD);
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                each.read(rows);
            }
        }
    }

    private static HttpRequest request(String method, String path, String key, Object body, String idempotencyKey)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url(path)))
                .timeout(Duration.ofSeconds(40)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.build();
    }

    private static HttpResponse<String> call(String method, String path, String key, Object body,
            String idempotencyKey) throws IOException, InterruptedException {
        return HTTP.send(request(method, path, key, body, idempotencyKey), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> callAsync(String method, String path, Object body,
            String idempotencyKey) throws IOException {
        return HTTP.sendAsync(request(method, path, projectKey, body, idempotencyKey),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode send(String method, String path, String key, Object body, int status)
            throws IOException, InterruptedException {
        HttpResponse<String> response = call(method, path, key, body, null);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static String sha256(byte[] content) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
