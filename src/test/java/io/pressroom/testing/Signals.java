package io.pressroom.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Signals and {@code /proc} readings for fault tests, on processes the test started itself (by pid, never by name).
 */
public final class Signals {

    private Signals() {
    }

    /** Sends {@code signal} (e.g. {@code STOP}, {@code CONT}, {@code KILL}) to each pid; pids already gone are skipped. */
    public static void send(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .forEach(pid -> command.add(Long.toString(pid)));
        if (command.size() > 2) {
            // a pid may end between the check and the signal: kill's status says nothing useful then
            new ProcessBuilder(command).inheritIO().start().waitFor();
        }
    }

    /** Waits up to {@code timeout} until each pid is gone (e.g. after SIGKILL); whether they all are. */
    public static boolean awaitGone(List<Long> pids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pids.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** The process and all its descendants (e.g. a postmaster and its backends), parent first. */
    public static List<Long> withDescendants(long pid) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(process -> {
            pids.add(pid);
            process.descendants().forEach(child -> pids.add(child.pid()));
        });
        return pids;
    }

    /** The PostgreSQL postmaster of a data directory: the first line of its {@code postmaster.pid}. */
    public static long postmaster(Path dataDir) throws IOException {
        try (Stream<String> lines = Files.lines(dataDir.resolve("postmaster.pid"))) {
            return Long.parseLong(lines.findFirst().orElseThrow().trim());
        }
    }

    /** Resident set size in kB ({@code VmRSS}), or -1 when the process is gone. */
    public static long rssKb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** Thread count ({@code Threads}), or -1 when the process is gone. */
    public static long threads(long pid) {
        return statusField(pid, "Threads:");
    }

    private static long statusField(long pid, String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(line -> line.startsWith(field)).findFirst()
                    .map(line -> Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0])).orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
