package io.pressroom.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a JVM's CPU goes, by kind of thread: each thread's {@code utime + stime} from
 * {@code /proc/<pid>/task/<tid>/stat}, its kind from the thread's name there (the kernel keeps its first 15
 * characters). The JIT compiler's and the garbage collector's own threads are told apart from the application's, so
 * a run shows how much of the JVM's CPU per job is the code Pressroom runs and how much is the JVM compiling and
 * collecting it.
 * <p>
 * A thread that ends between two readings counts as last read (at most one sampling interval old).
 */
final class JvmThreads {

    /** The kinds, in the order they are printed. */
    static final String[] KINDS = { "jit", "gc", "render", "kafka", "http", "other" };

    private final long pid;
    private final Map<Long, Long> startTicks = new HashMap<>();
    private final Map<Long, Reading> last = new HashMap<>();

    private record Reading(String kind, long ticks) {
    }

    JvmThreads(long pid) {
        this.pid = pid;
    }

    /** The kind of a thread by its name as {@code /proc} has it. */
    static String kind(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return "jit";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")
                || name.startsWith("ZWorker") || name.startsWith("Shenandoah")) {
            return "gc";
        }
        if (name.startsWith("render-") || name.startsWith("pressroom-chrom") || name.startsWith("WebSocketConn")
                || name.startsWith("JvHandleMessag") || name.startsWith("template-merge")) {
            return "render"; // the render pool, its Chromium connection and page clean-up
        }
        if (name.startsWith("kafka") || name.startsWith("smallrye-kafka")) {
            return "kafka";
        }
        if (name.startsWith("vert.x-eventloo") || name.startsWith("executor-threa") || name.startsWith("vert.x-worker")) {
            return "http"; // the event loops and worker pool: REST, the reactive PostgreSQL client, S3 responses
        }
        return "other";
    }

    synchronized void start() {
        startTicks.clear();
        last.clear();
        read().forEach((tid, reading) -> {
            startTicks.put(tid, reading.ticks());
            last.put(tid, reading);
        });
    }

    synchronized void sample() {
        last.putAll(read());
    }

    /** Ticks each kind used since {@link #start()}; threads started meanwhile count from zero. */
    synchronized Map<String, Long> ticksByKind() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (String kind : KINDS) {
            ticks.put(kind, 0L);
        }
        last.forEach((tid, reading) -> ticks.merge(reading.kind(),
                reading.ticks() - startTicks.getOrDefault(tid, 0L), Long::sum));
        return ticks;
    }

    private Map<Long, Reading> read() {
        Map<Long, Reading> readings = new HashMap<>();
        if (pid <= 0) {
            return readings;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String line = Files.readString(task.resolve("stat"));
                    String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                    ProcCpu.Stat stat = ProcCpu.parseStat(line);
                    readings.put(stat.pid(), new Reading(kind(name), stat.own()));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while the directory was read
                }
            }
        } catch (IOException gone) {
            // the process is gone
        }
        return readings;
    }
}
