package io.pressroom.testing.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same single-node Kafka as {@link KafkaServer}, but in a JVM of its own ({@link KafkaServerMain}, started with
 * this JVM's class path), so that a test can freeze it (SIGSTOP) or kill it without touching itself. The log
 * directory persists across {@link #stop()} and {@link #start()}: topics and committed offsets survive a restart,
 * also after SIGKILL. The other tests keep the in-process {@link KafkaServer}, which starts faster.
 */
public final class KafkaProcess implements StackServer {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final int port;
    private final int controllerPort;
    private final Path logDir;
    private final Path workDir;
    private volatile Process process;
    private Thread killer;

    /**
     * @param port client port, 0 for a free one (chosen now and kept across restarts; the controller port likewise)
     * @param logDir the broker's data; its output, configuration-free, goes to {@code <logDir>-server/kafka.log}
     */
    public KafkaProcess(int port, Path logDir) {
        this.port = port == 0 ? Stack.freePort() : port;
        this.controllerPort = Stack.freePort();
        this.logDir = logDir.toAbsolutePath();
        this.workDir = this.logDir.resolveSibling(this.logDir.getFileName() + "-server");
    }

    @Override
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null) {
            return;
        }
        Files.createDirectories(workDir);
        Path pidFile = workDir.resolve("kafka.pid");
        Stack.endLeftoverProcess(pidFile, KafkaServerMain.class.getName(), "TERM");
        Stack.requireFreePort(port, "kafka");
        Path log = workDir.resolve("kafka.log");
        long logged = Files.exists(log) ? Files.size(log) : 0; // the log is appended to across restarts
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath(),
                KafkaServerMain.class.getName(), Integer.toString(port), Integer.toString(controllerPort),
                logDir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        killer = new Thread(this::kill, "kafka-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        Files.writeString(pidFile, process.pid() + "\n");
        try {
            awaitReady(log, logged);
        } catch (IOException | RuntimeException | InterruptedException e) {
            stop();
            throw e;
        }
    }

    /** SIGTERM (a clean broker shutdown), SIGKILL when that takes over 20 s; the log directory is kept. */
    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (or ran) anyway
        }
        process = null;
        killer = null;
    }

    @Override
    public void close() {
        stop();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker's process id, for signals; -1 when it is not running. */
    public long pid() {
        Process running = process;
        return running == null ? -1 : running.pid();
    }

    /** Whether the process is still there (after a SIGKILL from outside it is not, until {@link #start()}). */
    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /**
     * Forgets a process that was killed from outside, so {@link #start()} starts a new one on the same port and data.
     */
    public synchronized void forgetDead() {
        if (process != null && !process.isAlive()) {
            stop();
        }
    }

    private void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(20, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The test class path: surefire and failsafe run tests from a manifest-only jar, whose own path is all that
     * {@code java.class.path} holds there; they publish the real one as {@code surefire.test.class.path}.
     */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void awaitReady(Path log, long from) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (output.length() > from && output.substring((int) Math.min(from, output.length()))
                    .contains(KafkaServerMain.READY)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with status " + process.exitValue() + ":\n" + tail(output));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka was not ready within " + STARTUP_TIMEOUT.toSeconds() + " s:\n"
                        + tail(output));
            }
            Thread.sleep(100);
        }
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
