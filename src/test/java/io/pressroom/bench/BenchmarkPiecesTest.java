package io.pressroom.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The benchmark's parts that work alone: /proc parsing, percentiles, ratios, the table and the JSON, options. */
class BenchmarkPiecesTest {

    @Test
    void jvmThreadsAreToldApartByTheirNames() {
        assertThat(JvmThreads.kind("C2 CompilerThre")).isEqualTo("jit");
        assertThat(JvmThreads.kind("C1 CompilerThre")).isEqualTo("jit");
        assertThat(JvmThreads.kind("GC Thread#0")).isEqualTo("gc");
        assertThat(JvmThreads.kind("G1 Conc#0")).isEqualTo("gc");
        assertThat(JvmThreads.kind("render-pool-1")).isEqualTo("render");
        assertThat(JvmThreads.kind("kafka-producer-")).isEqualTo("kafka");
        assertThat(JvmThreads.kind("smallrye-kafka-")).isEqualTo("kafka");
        assertThat(JvmThreads.kind("vert.x-eventloo")).isEqualTo("http");
        assertThat(JvmThreads.kind("main")).isEqualTo("other");
    }

    @Test
    void jvmThreadsCountTheTicksOfAThreadThatWorkedInThePhase() throws InterruptedException {
        JvmThreads again = new JvmThreads(ProcessHandle.current().pid());
        again.start();
        // spins until it has had 50 ms of CPU (5 of /proc's ticks), however little of the machine it gets, and on
        // until read: a fixed 250 ms of wall time was less than a tick of CPU on a loaded machine (a red CI run)
        CountDownLatch worked = new CountDownLatch(1);
        AtomicBoolean read = new AtomicBoolean();
        Thread spinning = new Thread(() -> {
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            while (!read.get()) {
                if (cpu.getCurrentThreadCpuTime() >= 50_000_000L) {
                    worked.countDown();
                }
                Thread.onSpinWait();
            }
        }, "render-pool-bench");
        spinning.start();
        assertThat(worked.await(60, TimeUnit.SECONDS)).as("the spinning thread had its CPU").isTrue();
        again.sample();
        read.set(true);
        spinning.join();
        Map<String, Long> ticks = again.ticksByKind();
        assertThat(ticks.keySet()).containsExactly(JvmThreads.KINDS);
        assertThat(ticks.get("render")).as("a busy render thread read while it ran").isPositive();
    }

    @Test
    void statFieldsAreCountedFromTheLastParenthesisSoACommandNameWithSpacesAndParenthesesIsNoProblem() {
        // fields 14-17 are utime, stime, cutime, cstime; the name "(x) (y)" would shift a split on spaces
        String line = "4242 ((x) (y)) S 7 4242 4242 0 -1 4194560 100 0 0 0 1234 567 89 10 20 0 1 0 99 1000 50 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        ProcCpu.Stat stat = ProcCpu.parseStat(line);

        assertThat(stat).isEqualTo(new ProcCpu.Stat(4242, 7, 1234, 567, 89, 10));
        assertThat(stat.own()).isEqualTo(1801);
        assertThat(stat.reapedChildren()).isEqualTo(99);
    }

    @Test
    void theStatOfThisProcessParses() throws Exception {
        ProcCpu.Stat stat = ProcCpu.parseStat(Files.readString(Path.of("/proc/self/stat")));

        assertThat(stat.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(stat.ppid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
    }

    @Test
    void memoryValuesAreReadByKeyInKilobytes() {
        String status = "Name:\tjava\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t30\n";
        String rollup = "00400000-7ffd0000 ---p 00000000 00:00 0   [rollup]\nRss:   1764 kB\nPss:    217 kB\n";

        assertThat(ProcCpu.statusKb(status, "VmRSS")).isEqualTo(102400);
        assertThat(ProcCpu.statusKb(status, "VmHWM")).isEqualTo(204800);
        assertThat(ProcCpu.statusKb(rollup, "Pss")).isEqualTo(217);
        assertThat(ProcCpu.statusKb(status, "VmSwap")).isZero();
    }

    @Test
    void aTreeCountsTheChildrenOfItsRootAndSelfOnlyTheRoot() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            long self = ProcessHandle.current().pid();
            Map<Long, ProcCpu.Stat> processes = ProcCpu.processes();
            ProcCpu.Snapshot tree = ProcCpu.snapshot(new ProcCpu.Group("tree", () -> self, ProcCpu.Kind.TREE),
                    processes, true);
            ProcCpu.Snapshot alone = ProcCpu.snapshot(new ProcCpu.Group("self", () -> self, ProcCpu.Kind.SELF),
                    processes, true);
            ProcCpu.Snapshot children = ProcCpu.snapshot(
                    new ProcCpu.Group("children", () -> self, ProcCpu.Kind.CHILDREN), processes, true);

            assertThat(tree.members()).containsKeys(self, child.pid());
            assertThat(alone.members()).containsOnlyKeys(self);
            assertThat(children.members()).containsKeys(self, child.pid());
            // the root's memory counts in a tree and alone, not among its children
            assertThat(children.rssKb()).isPositive().isLessThan(alone.rssKb());
            assertThat(children.pssKb()).isPositive().isLessThan(alone.pssKb());
            assertThat(ProcCpu.sample(new ProcCpu.Group("self", () -> self, ProcCpu.Kind.SELF)).ticks()).isPositive();
            assertThat(ProcCpu.sample(new ProcCpu.Group("none", () -> -1, ProcCpu.Kind.TREE)))
                    .isEqualTo(new ProcCpu.Sample(0, 0, 0));
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void pssIsReadAtEveryEighthSampleAndAtTheEnd() {
        ProcCpu.Meter meter = new ProcCpu.Meter(
                new ProcCpu.Group("self", () -> ProcessHandle.current().pid(), ProcCpu.Kind.SELF));
        Map<Long, ProcCpu.Stat> processes = ProcCpu.processes();
        for (int sample = 1; sample < ProcCpu.Meter.PSS_EVERY; sample++) {
            meter.sample(processes);
        }
        assertThat(meter.peakPssKb()).as("no PSS read in the first samples").isZero();
        assertThat(meter.peakRssKb()).as("RSS read at every sample").isPositive();
        meter.sample(processes);
        assertThat(meter.peakPssKb()).isPositive();

        ProcCpu.Meter ended = new ProcCpu.Meter(
                new ProcCpu.Group("self", () -> ProcessHandle.current().pid(), ProcCpu.Kind.SELF));
        ended.finish();
        assertThat(ended.peakPssKb()).isPositive();
    }

    @Test
    void aMeterReportsHowMuchTheRssGrewOverTheMeasuredPhase() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            asleep(child); // measured from before its exec, the JVM's spawn helper would "grow" into sleep
            ProcCpu.Meter meter = new ProcCpu.Meter(new ProcCpu.Group("sleep", child::pid, ProcCpu.Kind.SELF));
            meter.start();
            meter.sample();
            assertThat(meter.rssGrowthPercent()).isZero(); // a sleeping process does not grow
            ProcCpu.Group group = new ProcCpu.Group("self", () -> ProcessHandle.current().pid(), ProcCpu.Kind.SELF);
            ProcCpu.Meter self = new ProcCpu.Meter(group);
            long before = ProcCpu.sample(group).rssKb();
            self.start();
            // off the heap (the suite's heap is full of test applications), resident once written
            java.nio.ByteBuffer touched = java.nio.ByteBuffer.allocateDirect(192 << 20);
            for (int at = 0; at < touched.capacity(); at += 4096) {
                touched.put(at, (byte) 1);
            }
            self.sample();
            double expected = (192 << 10) * 100.0 / before;
            assertThat(self.rssGrowthPercent()).isGreaterThan(expected / 2);
            assertThat(touched.get(touched.capacity() - 4096)).isEqualTo((byte) 1);
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    /** Waits until the child runs {@code sleep} itself and sleeps in it. */
    private static void asleep(Process child) throws Exception {
        Path proc = Path.of("/proc", Long.toString(child.pid()));
        for (int tries = 0; tries < 500; tries++) {
            String stat = Files.readString(proc.resolve("stat"));
            if (stat.contains("(sleep) S")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("sleep did not start: " + Files.readString(proc.resolve("stat")));
    }

    @Test
    void aBrowserTreeKilledAtOnceKeepsTheTicksItUsedAndAReapedChildIsNotCountedTwice() {
        // the Pressroom JVM (1) started a browser (10), whose zygote (11) started a renderer process (12)
        ProcCpu.Meter chromium = new ProcCpu.Meter(new ProcCpu.Group("chromium", () -> 1, ProcCpu.Kind.CHILDREN));
        chromium.startFrom(1, Map.of(1L, stat(1, 0, 500, 0), 10L, stat(10, 1, 100, 0), 11L, stat(11, 10, 20, 5),
                12L, stat(12, 11, 50, 0)));

        // the renderer process used 30 more ticks, ended and was reaped by the zygote: in the zygote's cutime now
        chromium.record(1, Map.of(1L, stat(1, 0, 600, 0), 10L, stat(10, 1, 110, 0), 11L, stat(11, 10, 20, 85)));
        assertThat(chromium.ticks()).isEqualTo(40);

        // the pool killed the whole tree: the JVM reaped the browser (its own ticks, 5 more), the zygote went to init
        chromium.record(1, Map.of(1L, stat(1, 0, 700, 115)));
        assertThat(chromium.ticks()).isEqualTo(45);

        // a new browser: counted from its start
        chromium.record(1, Map.of(1L, stat(1, 0, 800, 115), 20L, stat(20, 1, 60, 0)));
        assertThat(chromium.ticks()).isEqualTo(105);
    }

    private static ProcCpu.Stat stat(long pid, long ppid, long own, long reaped) {
        return new ProcCpu.Stat(pid, ppid, own, 0, reaped, 0);
    }

    @Test
    void percentilesAreNearestRank() {
        long[] nanos = new long[100];
        for (int i = 0; i < nanos.length; i++) {
            nanos[99 - i] = (i + 1) * 1_000_000L; // 1 … 100 ms, given in reverse
        }
        Latencies latencies = new Latencies(nanos);

        assertThat(latencies.percentileMillis(50)).isEqualTo(50.0);
        assertThat(latencies.percentileMillis(90)).isEqualTo(90.0);
        assertThat(latencies.percentileMillis(99)).isEqualTo(99.0);
        assertThat(latencies.percentileMillis(100)).isEqualTo(100.0);
        assertThat(new Latencies(new long[] { 7_000_000 }).percentileMillis(99)).isEqualTo(7.0);
        assertThat(new Latencies(new long[] { 1_000_000, 2_000_000 }).percentileMillis(50)).isEqualTo(1.0);
        assertThat(new Latencies(new long[0]).percentileMillis(50)).isNaN();
        // 28 % of 25 samples is exactly 7, though 0.28 * 25 is 7.000000000000001 in doubles
        long[] twentyFive = new long[25];
        Arrays.setAll(twentyFive, i -> (i + 1) * 1_000_000L);
        assertThat(new Latencies(twentyFive).percentileMillis(28)).isEqualTo(7.0);
        assertThatThrownBy(() -> latencies.percentileMillis(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPercentileIsASampleWithAtLeastThatShareAtOrBelowItAndLessStrictlyBelow() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 500; round++) {
            long[] nanos = random.longs(1 + random.nextInt(300), 0, 5_000_000_000L).toArray();
            double p = 1 + random.nextInt(100);
            double value = new Latencies(nanos).percentileMillis(p);
            long atOrBelow = Arrays.stream(nanos).filter(n -> n / 1e6 <= value).count();
            long below = Arrays.stream(nanos).filter(n -> n / 1e6 < value).count();

            assertThat(Arrays.stream(nanos).anyMatch(n -> n / 1e6 == value)).as("seed %d", seed).isTrue();
            assertThat(atOrBelow * 100.0).as("seed %d", seed).isGreaterThanOrEqualTo(p * nanos.length);
            assertThat(below * 100.0).as("seed %d", seed).isLessThan(p * nanos.length);
        }
    }

    @Test
    void eachCellIsComparedWithBareOfTheSameDocumentAndClients() {
        List<Cell> cells = Cell.withRatios(List.of(cell("bare", "invoice", 2, 20.0), cell("bare", "invoice", 1, 10.0),
                cell("bare", "report", 2, 1.0), cell("system-sync", "invoice", 2, 5.0),
                cell("renderer", "report", 2, 1.5), cell("renderer", "report", 4, 1.5)));

        assertThat(cells).extracting(Cell::xBare).containsExactly(1.0, 1.0, 1.0, 0.25, 1.5, null);
    }

    @Test
    void theTableHasARowPerCellWithRatioPercentilesAndCpuAndTheJsonHoldsTheCells(@TempDir Path dir) throws Exception {
        List<Cell> cells = Cell.withRatios(List.of(cell("bare", "invoice", 2, 20.0),
                cell("system-poll", "invoice", 2, 5.0)));

        String table = Report.table(cells, List.of("chromium", "pressroom"));

        assertThat(table.lines()).contains(
                "| scenario    | doc     | clients | jobs | PDFs/s | ×bare | p50 ms | p90 ms | p99 ms | fail | chromium | pressroom |",
                "| system-poll | invoice | 2       |   40 |   5.00 | 0.25× |     50 |     90 |     99 |    0 |     12.5 |         — |",
                "| system-poll | invoice | 2       | 100 (40) |         — |");
        Path file = dir.resolve("out/result.json");
        Report.writeJson(file, Map.of("chromium", "Chrome/156"), cells);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.path("chromium").asText()).isEqualTo("Chrome/156");
        assertThat(json.at("/cells/1/scenario").asText()).isEqualTo("system-poll");
        assertThat(json.at("/cells/1/xBare").asDouble()).isEqualTo(0.25);
        assertThat(json.at("/cells/1/cpuMsPerJob/chromium").asDouble()).isEqualTo(12.5);
    }

    @Test
    void optionsHaveAFullDefaultATinyFormAndRefuseWhatTheyDoNotKnow() {
        Path repo = Path.of("/repo");
        Options full = Options.parse(List.of(), Map.of(), repo);
        Options tiny = Options.parse(List.of("--tiny", "--scenarios", "bare,system"), Map.of(), repo);
        Options timed = Options.parse(List.of("--seconds", "20", "--clients", "2", "--s3-tls"),
                Map.of("PRESSROOM_BENCH_DOCS", "/docs"), repo);

        assertThat(full.scenarios()).containsExactly("bare", "renderer", "system");
        assertThat(full.docs()).containsExactly("invoice", "report");
        assertThat(full.clients()).containsExactly(1, 2, 4);
        assertThat(full.docsDir()).isEqualTo(Path.of("/shared/bench"));
        assertThat(tiny.docs()).containsExactly("invoice");
        assertThat(tiny.clients()).containsExactly(1, 2);
        assertThat(tiny.jobs()).isLessThan(10);
        assertThat(tiny.scenarios()).containsExactly("bare", "system");
        assertThat(timed.seconds()).isEqualTo(20);
        assertThat(timed.docsDir()).isEqualTo(Path.of("/docs"));
        assertThat(timed.s3Tls()).isTrue();
        assertThat(timed.clients()).containsExactly(2);
        assertThat(full.s3Tls()).isFalse();
        assertThatThrownBy(() -> Options.parse(List.of("--scenarios", "bare,fast"), Map.of(), repo))
                .hasMessageContaining("fast");
        assertThatThrownBy(() -> Options.parse(List.of("--jobs", "0"), Map.of(), repo)).hasMessageContaining("0");
        assertThatThrownBy(() -> Options.parse(List.of("--turbo"), Map.of(), repo)).hasMessageContaining("--turbo");
    }

    @Test
    void theClosedLoopMeasuresAfterTheWarmUpAndCountsEveryFailedJob() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger runsAtStart = new AtomicInteger(-1);
        AtomicInteger runsAtEnd = new AtomicInteger(-1);

        ClosedLoop.Measured measured = ClosedLoop.run(2, 3, 10, 0, client -> {
            if (runs.incrementAndGet() % 4 == 0) {
                throw new IllegalStateException("job " + runs.get() + " failed");
            }
        }, () -> runsAtStart.set(runs.get()), () -> runsAtEnd.set(runs.get()));

        assertThat(runsAtStart.get()).isEqualTo(6); // 2 clients × 3 warm-up jobs
        assertThat(runsAtEnd.get()).isEqualTo(16);
        assertThat(measured.failures()).isEqualTo(4); // jobs 4, 8, 12 and 16: one in the warm-up
        assertThat(measured.latencyNanos()).hasSize(7);
        assertThat(measured.firstFailures()).hasSize(4).allSatisfy(f -> assertThat(f).contains("failed"));
        assertThat(measured.elapsedNanos()).isPositive();
    }

    private static Cell cell(String scenario, String doc, int clients, double pdfsPerSecond) {
        return new Cell(scenario, doc, clients, 40, 40 / pdfsPerSecond, pdfsPerSecond, null, 50, 90, 99, 0, List.of(),
                Map.of("chromium", 12.5), Map.of("chromium", 100.0), Map.of("chromium", 40.0), Map.of("chromium", 1.0),
                Map.of());
    }
}
