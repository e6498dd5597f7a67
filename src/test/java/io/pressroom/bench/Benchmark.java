package io.pressroom.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.ConsumerGroupState;

import com.fasterxml.jackson.databind.JsonNode;

import io.pressroom.bench.ProcCpu.Group;
import io.pressroom.bench.ProcCpu.Kind;
import io.pressroom.contract.Topics;
import io.pressroom.testing.AppProcess;
import io.pressroom.testing.stack.KafkaProcess;
import io.pressroom.testing.stack.PostgresServer;
import io.pressroom.testing.stack.PressroomTestStack;
import io.pressroom.testing.stack.S3Server;
import io.pressroom.testing.stack.Stack;

/**
 * Pressroom's benchmark (docs/performance.md; started by deploy/bench/run.sh): bare Chromium, the renderer alone
 * and the whole system, each closed-loop at 1, 2 and 4 clients on the two reference documents, with throughput,
 * latency percentiles, the ratio against bare Chromium, and CPU and peak memory per process group from /proc.
 * Starts everything it measures itself (PostgreSQL, Kafka and s3proxy from the test stack, the packaged
 * application) and stops it again. Exits with 1 when any job failed, 2 on bad arguments.
 */
public final class Benchmark {

    static final String CHROMIUM = "chromium", PRESSROOM = "pressroom", POSTGRES = "postgres", KAFKA = "kafka",
            S3 = "s3proxy", BENCH = "bench";
    private static final List<String> GROUPS = List.of(CHROMIUM, PRESSROOM, POSTGRES, KAFKA, S3, BENCH);
    private static final String ADMIN_KEY = "pra_bench_admin_key_not_secret";
    private static final Duration APP_START = Duration.ofSeconds(180);
    /** Settings of the application under test beyond the stack's: the rate limit off, room for unfinished jobs. */
    static final Map<String, String> APP_SETTINGS = Map.of(
            "pressroom.http.rate-limit-per-second", "0",
            "pressroom.jobs.max-unfinished-per-project", "100000",
            "pressroom.jobs.sync-wait-max", "120s");

    private final Options options;
    private final Map<String, String> docs = new LinkedHashMap<>();
    private final long clockTicks = ProcCpu.clockTicks();
    private final List<Cell> cells = new ArrayList<>();
    private final Path logDir;
    private final Map<String, LongSupplier> pids = new LinkedHashMap<>();
    private String chromiumVersion = "?";

    private Benchmark(Options options) throws IOException {
        this.options = options;
        for (String doc : options.docs()) {
            Path file = options.docsDir().resolve(doc + ".html");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + " is missing (--docs-dir or PRESSROOM_BENCH_DOCS)");
            }
            docs.put(doc, Files.readString(file));
        }
        this.logDir = options.outDir().resolve("logs");
        GROUPS.forEach(group -> pids.put(group, () -> -1));
        pids.put(BENCH, () -> ProcessHandle.current().pid());
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(Arrays.asList(args), System.getenv(), Path.of("").toAbsolutePath());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + Options.USAGE);
            System.exit(2);
            return;
        }
        try {
            System.exit(new Benchmark(options).run() == 0 ? 0 : 1);
        } catch (Exception | Error e) {
            // exit even though client threads of Kafka, jvppeteer or the HTTP client are still there
            e.printStackTrace();
            System.exit(1);
        }
    }

    private int run() throws Exception {
        Instant began = Instant.now();
        System.out.printf("Pressroom benchmark: scenarios %s, documents %s, clients %s, %s per cell after %d "
                + "warm-up job(s) per client; S3 over %s; application settings %s (the rate limit is off)%n",
                options.scenarios(), options.docs(), options.clients(), options.measure(), options.warmupPerClient(),
                options.s3Tls() ? "HTTPS" : "plain HTTP", APP_SETTINGS);
        try {
            if (options.scenarios().contains("bare")) {
                runBare();
            }
            if (options.scenarios().contains("renderer") || options.scenarios().contains("system")) {
                runWithStack();
            }
        } catch (CellFailed e) {
            System.out.println(elapsed() + " stopped: " + e.getMessage());
        }
        List<Cell> results = Cell.withRatios(order(cells));
        System.out.println(elapsed() + " done");
        System.out.print(Report.table(results, GROUPS));
        Path json = options.outDir().resolve("result-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC).format(began) + ".json");
        Report.writeJson(json, describeRun(began), results);
        System.out.println("\nJSON: " + json);
        int failures = results.stream().mapToInt(Cell::failures).sum();
        if (failures > 0) {
            System.out.println("FAILED: " + failures + " job(s) failed:");
            results.stream().filter(cell -> cell.failures() > 0).forEach(cell -> System.out.printf("  %s %s %d: %s%n",
                    cell.scenario(), cell.doc(), cell.clients(), cell.firstFailures()));
        }
        return failures;
    }

    private void runBare() throws Exception {
        String executable = System.getenv().getOrDefault("PRESSROOM_CHROMIUM_EXECUTABLE_PATH",
                "/usr/lib/chromium/chromium");
        try (BareChromium bare = BareChromium.launch(executable)) {
            chromiumVersion = bare.version();
            System.out.println(elapsed() + " bare " + chromiumVersion + " up");
            pids.put(CHROMIUM, bare::pid);
            for (String doc : docs.keySet()) {
                String html = docs.get(doc);
                for (int clients : options.clients()) {
                    cell("bare", doc, clients, client -> bare.render(client, html));
                }
            }
        } finally {
            pids.put(CHROMIUM, () -> -1);
        }
    }

    private void runWithStack() throws Exception {
        PostgresServer postgres = new PostgresServer(0, null);
        Path kafkaDir = Files.createTempDirectory("pressroom-bench-kafka");
        KafkaProcess kafka = new KafkaProcess(0, kafkaDir.resolve("data"));
        // objects on disk, as S3 keeps them: s3proxy's in-memory store kept every PDF in its 256 MB heap, which grew
        // with each job (the "s3proxy" RSS growth of the long runs) and ran out after about 4,000 jobs
        Path s3Dir = Files.createTempDirectory("pressroom-bench-s3");
        S3Server s3 = new S3Server(0, s3Dir.resolve("data"));
        if (options.s3Tls()) {
            s3.tls(S3Server.Tls.selfSigned(s3Dir)); // the application's configuration then trusts its key
        }
        Stack.startAll(postgres, kafka, s3);
        System.out.println(elapsed() + " PostgreSQL, Kafka and S3 are up");
        try {
            pids.put(POSTGRES, () -> postmasterPid(postgres));
            pids.put(KAFKA, kafka::pid);
            pids.put(S3, s3::pid);
            Map<String, String> config = new LinkedHashMap<>(
                    PressroomTestStack.packagedAppConfig(postgres, kafka.bootstrapServers(), s3, ADMIN_KEY));
            config.putAll(APP_SETTINGS);
            // the whole system first: the renderer's events afterwards reach no API that would look for their jobs
            if (options.scenarios().contains("system")) {
                runSystem(config);
            }
            if (options.scenarios().contains("renderer")) {
                runRenderer(config);
            }
        } finally {
            Stack.closeAll(s3, kafka, postgres);
            Stack.deleteRecursively(kafkaDir);
            Stack.deleteRecursively(s3Dir);
            System.out.println(elapsed() + " PostgreSQL, Kafka and S3 stopped");
        }
    }

    private void runSystem(Map<String, String> stackConfig) throws Exception {
        Map<String, String> config = new LinkedHashMap<>(stackConfig);
        config.put("pressroom.role", "all");
        try (AppProcess app = startApp("system", config)) {
            awaitConsumers(config, Map.of("pressroom-api", List.of(Topics.EVENTS), "pressroom-renderer",
                    List.of(Topics.commands("default"), Topics.commands("priority"))));
            JsonNode project = app.call("POST", "/v1/projects", ADMIN_KEY, Map.of("name", "bench"), 201);
            String key = app.call("POST", "/v1/projects/" + project.path("id").asText() + "/keys", ADMIN_KEY,
                    Map.of("name", "bench"), 201).path("key").asText();
            WholeSystem system = new WholeSystem(app, key);
            for (String doc : docs.keySet()) {
                String html = docs.get(doc);
                for (int clients : options.clients()) {
                    cell("system-sync", doc, clients, client -> system.syncThenDownload(html));
                }
                for (int clients : options.clients()) {
                    cell("system-poll", doc, clients, client -> system.pollThenDownload(html));
                }
            }
            stop(app); // its graceful stop (about 10 s) is not measured
        } finally {
            pids.put(PRESSROOM, () -> -1);
            pids.put(CHROMIUM, () -> -1);
            System.out.println(elapsed() + " Pressroom stopped");
        }
    }

    private void runRenderer(Map<String, String> stackConfig) throws Exception {
        Map<String, String> config = new LinkedHashMap<>(stackConfig);
        config.put("pressroom.role", "renderer");
        try (AppProcess app = startApp("renderer", config);
                RendererAlone renderer = new RendererAlone(
                        config.get("kafka.bootstrap.servers"))) {
            awaitConsumers(config, Map.of("pressroom-renderer",
                    List.of(Topics.commands("default"), Topics.commands("priority"))));
            for (String doc : docs.keySet()) {
                String html = docs.get(doc);
                for (int clients : options.clients()) {
                    cell("renderer", doc, clients, client -> renderer.render(html));
                }
            }
            stop(app);
        } finally {
            pids.put(PRESSROOM, () -> -1);
            pids.put(CHROMIUM, () -> -1);
            System.out.println(elapsed() + " Pressroom stopped");
        }
    }

    /**
     * SIGKILL, unless the JVM was asked to write an AOT cache when it exits ({@code -XX:AOTCacheOutput}, JDK 25, a
     * training run; docs/performance.md): then it is stopped as a pod is, and given the time to write it.
     */
    private static void stop(AppProcess app) throws Exception {
        String extra = System.getenv("PRESSROOM_BENCH_APP_JVM_OPTIONS");
        if (extra == null || !extra.contains("-XX:AOTCacheOutput")) {
            app.killNow();
            return;
        }
        app.requestStop();
        System.out.printf("%s Pressroom stopping; writing its AOT cache exited with %d%n", elapsed(),
                app.awaitExit(Duration.ofMinutes(5)));
    }

    private AppProcess startApp(String name, Map<String, String> config) throws Exception {
        long started = System.nanoTime();
        // as in production (the images' JDK_JAVA_OPTIONS): the C1 compiler only and the default GC
        // PRESSROOM_BENCH_APP_JVM_OPTIONS adds options, e.g. a JFR recording for the profile (docs/performance.md),
        // and may undo that one: a later -XX:TieredStopAtLevel=4 brings C2 back
        List<String> jvm = new java.util.ArrayList<>(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"));
        String extra = System.getenv("PRESSROOM_BENCH_APP_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        AppProcess app = AppProcess.start(name, config, logDir, jvm);
        try {
            app.awaitReady(APP_START);
        } catch (Exception e) {
            System.err.println(app.tail(40));
            app.close();
            throw e;
        }
        System.out.printf("%s Pressroom (%s) ready in %.1f s; log %s%n", elapsed(), config.get("pressroom.role"),
                (System.nanoTime() - started) / 1e9, app.log());
        // the JVM itself; Chromium is what it started, including browsers it ended (its reaped children's time)
        pids.put(PRESSROOM, app::pid);
        pids.put(CHROMIUM, app::pid);
        return app;
    }

    /** A cell with failed jobs: the run stops there (what follows would mostly measure the failure). */
    private static final class CellFailed extends RuntimeException {
        CellFailed(String message) {
            super(message);
        }
    }

    private void cell(String scenario, String doc, int clients, ClosedLoop.Job job) throws InterruptedException {
        List<ProcCpu.Meter> meters = groups().stream().map(ProcCpu.Meter::new).toList();
        JvmThreads threads = new JvmThreads(pids.get(PRESSROOM).getAsLong());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-proc");
            thread.setDaemon(true);
            return thread;
        });
        System.out.printf("%s %-12s %-8s %d client(s): ", elapsed(), scenario, doc, clients);
        ClosedLoop.Measured measured = ClosedLoop.run(clients, options.warmupPerClient(), options.jobs(),
                options.seconds(), job, () -> {
                    meters.forEach(ProcCpu.Meter::start);
                    threads.start();
                    // often enough to see a process's last ticks before it is gone, and the memory's peak
                    sampler.scheduleAtFixedRate(() -> {
                        Map<Long, ProcCpu.Stat> processes = ProcCpu.processes();
                        meters.forEach(meter -> meter.sample(processes));
                        threads.sample();
                    }, 250, 250, TimeUnit.MILLISECONDS);
                }, () -> {
                    sampler.shutdown();
                    awaitQuietly(sampler);
                    meters.forEach(ProcCpu.Meter::finish);
                    threads.sample();
                });
        sampler.shutdownNow();
        Latencies latencies = new Latencies(measured.latencyNanos());
        int jobs = latencies.count();
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Double> peakRssMb = new LinkedHashMap<>();
        Map<String, Double> peakPssMb = new LinkedHashMap<>();
        Map<String, Double> rssGrowth = new LinkedHashMap<>();
        for (ProcCpu.Meter meter : meters) {
            if (meter.group().rootPid().getAsLong() <= 0) {
                continue; // not running in this scenario
            }
            String name = meter.group().name();
            cpu.put(name, jobs == 0 ? Double.NaN : meter.ticks() * 1000.0 / clockTicks / jobs);
            peakRssMb.put(name, meter.peakRssKb() / 1024.0);
            peakPssMb.put(name, meter.peakPssKb() / 1024.0);
            rssGrowth.put(name, meter.rssGrowthPercent());
        }
        Map<String, Double> threadCpu = new LinkedHashMap<>();
        if (pids.get(PRESSROOM).getAsLong() > 0 && jobs > 0) {
            threads.ticksByKind().forEach((kind, ticks) -> threadCpu.put(kind, ticks * 1000.0 / clockTicks / jobs));
        }
        double seconds = measured.elapsedNanos() / 1e9;
        Cell cell = new Cell(scenario, doc, clients, jobs, seconds, seconds > 0 ? jobs / seconds : 0, null,
                latencies.percentileMillis(50), latencies.percentileMillis(90), latencies.percentileMillis(99),
                measured.failures(), measured.firstFailures(), cpu, peakRssMb, peakPssMb, rssGrowth, threadCpu);
        cells.add(cell);
        System.out.printf("%d jobs in %.1f s, %.2f PDFs/s, p50 %.0f ms, p99 %.0f ms%s%n", jobs, seconds,
                cell.pdfsPerSecond(), cell.p50Ms(), cell.p99Ms(),
                measured.failures() == 0 ? "" : ", " + measured.failures() + " FAILED: " + measured.firstFailures());
        StringBuilder growth = new StringBuilder();
        rssGrowth.forEach((name, percent) -> growth.append(String.format(" %s %+.1f%%", name, percent)));
        System.out.printf("           RSS over the measured phase:%s%n", growth);
        if (!threadCpu.isEmpty()) {
            StringBuilder byKind = new StringBuilder();
            threadCpu.forEach((kind, ms) -> byKind.append(String.format(" %s %.1f", kind, ms)));
            System.out.printf("           Pressroom CPU ms per job by thread:%s%n", byKind);
        }
        if (measured.failures() > 0) {
            throw new CellFailed(scenario + " " + doc + " at " + clients + " client(s) had failed jobs");
        }
    }

    /**
     * Waits until the application's Kafka consumer groups are stable and own every partition of their topics. Ready
     * ({@code /q/health/ready}) comes several seconds earlier on a busy machine, and jobs sent meanwhile wait for the
     * group to form: that is start-up, not what a cell measures.
     */
    private static void awaitConsumers(Map<String, String> config, Map<String, List<String>> groups)
            throws Exception {
        long started = System.nanoTime();
        long deadline = started + APP_START.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.get("kafka.bootstrap.servers")))) {
            for (Map.Entry<String, List<String>> group : groups.entrySet()) {
                int partitions = admin.describeTopics(group.getValue()).allTopicNames().get(30, TimeUnit.SECONDS)
                        .values().stream().mapToInt(topic -> topic.partitions().size()).sum();
                while (true) {
                    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group.getKey()))
                            .all().get(30, TimeUnit.SECONDS).get(group.getKey());
                    long assigned = description.members().stream()
                            .flatMap(member -> member.assignment().topicPartitions().stream())
                            .filter(partition -> group.getValue().contains(partition.topic())).count();
                    if (description.state() == ConsumerGroupState.STABLE && assigned == partitions) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the consumer group " + group.getKey() + " is "
                                + description.state() + " with " + assigned + " of " + partitions + " partitions");
                    }
                    Thread.sleep(200);
                }
            }
        }
        System.out.printf("%s consumer groups %s stable after %.1f s more%n", elapsed(), groups.keySet(),
                (System.nanoTime() - started) / 1e9);
    }

    /** The process groups as this moment's scenario has them (see docs/performance.md, "How CPU is counted"). */
    private List<Group> groups() {
        boolean appRuns = pids.get(PRESSROOM).getAsLong() > 0;
        List<Group> groups = new ArrayList<>();
        for (String name : GROUPS) {
            Kind kind = switch (name) {
                case CHROMIUM -> appRuns ? Kind.CHILDREN : Kind.TREE;
                case PRESSROOM, BENCH -> Kind.SELF;
                default -> Kind.TREE;
            };
            groups.add(new Group(name, pids.get(name), kind));
        }
        return groups;
    }

    private static void awaitQuietly(ScheduledExecutorService sampler) {
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Seconds since this JVM started, to show where a run's time goes. */
    private static String elapsed() {
        return String.format(Locale.ROOT, "[%5.1f s]", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    }

    private static long postmasterPid(PostgresServer postgres) {
        try {
            return Long.parseLong(Files.readAllLines(postgres.dataDir().resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static List<Cell> order(List<Cell> cells) {
        List<String> scenarios = List.of("bare", "renderer", "system-sync", "system-poll");
        List<Cell> ordered = new ArrayList<>(cells);
        ordered.sort((a, b) -> {
            int byDoc = a.doc().compareTo(b.doc());
            if (byDoc != 0) {
                return byDoc;
            }
            int byScenario = Integer.compare(scenarios.indexOf(a.scenario()), scenarios.indexOf(b.scenario()));
            return byScenario != 0 ? byScenario : Integer.compare(a.clients(), b.clients());
        });
        return ordered;
    }

    private Map<String, Object> describeRun(Instant began) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("startedAt", began.toString());
        run.put("endedAt", Instant.now().toString());
        run.put("options", options.toString());
        run.put("cores", Runtime.getRuntime().availableProcessors());
        run.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        run.put("chromium", chromiumVersion);
        run.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        run.put("clockTicksPerSecond", clockTicks);
        run.put("appSettings", APP_SETTINGS);
        run.put("units", "pdfsPerSecond; latencies in ms (nearest rank); cpuMsPerJob = CPU ms of the group during "
                + "the measured phase / measured jobs; peakRssMb and peakPssMb = largest sum of VmRSS and of "
                + "Pss (smaps_rollup) over the group's processes, VmRSS sampled every 250 ms, Pss every 2 s; rssGrowthPercent = the group's "
                + "summed VmRSS at the end of the measured phase against its start");
        return run;
    }
}
