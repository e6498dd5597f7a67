package io.pressroom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.testing.stack.Stack;

/**
 * Pressroom as it ships: the packaged application ({@code target/quarkus-app/quarkus-run.jar}) in a JVM of its own,
 * configured with system properties, on a free HTTP port and a free management port (health, metrics), its output in
 * {@code <logDir>/<name>.log}.
 * <p>
 * {@link #close()} ends it with SIGTERM (Quarkus closes Chromium and its Kafka clients), then SIGKILL after a grace
 * period, and kills whatever it started that is still there (a browser). A shutdown hook does the same when this
 * JVM ends without closing it.
 */
public final class AppProcess implements AutoCloseable {

    /** System property with the packaged jar's path (set by failsafe, see pom.xml). */
    public static final String JAR_PROPERTY = "pressroom.app.jar";

    /** Short-lived and several at once on a small machine: little heap, a cheap GC and JIT. */
    public static final List<String> TEST_JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Process process;
    private final Thread killer;

    private AppProcess(String name, int port, int managementPort, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
        this.killer = new Thread(this::kill, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts the application; returns at once (see {@link #awaitReady(Duration)}).
     *
     * @param config Quarkus and Pressroom properties; {@code quarkus.http.port} and {@code quarkus.management.port}
     *        are added
     */
    public static AppProcess start(String name, Map<String, String> config, Path logDir) throws IOException {
        return start(name, config, logDir, TEST_JVM_OPTIONS);
    }

    /**
     * As {@link #start(String, Map, Path)} with the JVM options given instead of the tests' cheap ones (the
     * benchmark runs the application as it runs in production).
     */
    public static AppProcess start(String name, Map<String, String> config, Path logDir, List<String> jvmOptions)
            throws IOException {
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the packaged application is missing at " + jar + " (run mvn package)");
        }
        Files.createDirectories(logDir);
        int port = Stack.freePort();
        int managementPort = Stack.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.port=" + managementPort);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = logDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).directory(logDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new AppProcess(name, port, managementPort, log, process);
    }

    /** {@value #JAR_PROPERTY}, else {@code target/quarkus-app/quarkus-run.jar}. */
    public static Path jar() {
        return Path.of(System.getProperty(JAR_PROPERTY, "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
    }

    /** Waits until {@code /q/health/ready} (management interface) answers 200; fails early when the process ends. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl("/q/health/ready")))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue() + " while starting");
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready after " + timeout.toSeconds() + " s: " + last);
            }
            Thread.sleep(250);
        }
    }

    /**
     * Sends a JSON request with {@code Authorization: Bearer key}, asserts the answer's status and returns its JSON
     * body.
     */
    public JsonNode call(String method, String path, String key, Object body, int status)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    public String name() {
        return name;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** {@code path} on the management interface: health ({@code /q/health/…}) and metrics ({@code /q/metrics}). */
    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last {@code lines} lines of the output. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The processes it started that are still there (a browser and its helpers). */
    public List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    /**
     * SIGKILL to the process and to everything it started, as a container runtime ends a pod; returns once they
     * are gone. Chromium would otherwise outlive its parent.
     */
    public void killNow() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    /** Asks the process to stop (SIGTERM) without waiting; {@link #close()} waits. */
    public void requestStop() {
        process.destroy();
    }

    /** Waits for the process to end by itself; its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS).exitValue();
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            process.onExit().get(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.err.println(name + " did not stop within " + STOP_GRACE.toSeconds() + " s; killing it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill(children);
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private void kill() {
        kill(process.descendants().toList());
    }

    // SIGKILL to the process and to what it started, waiting a little for each to be gone
    private void kill(List<ProcessHandle> children) {
        List<ProcessHandle> all = new ArrayList<>(children);
        all.add(process.toHandle());
        all.addAll(process.descendants().toList());
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("process " + handle.pid() + " (" + name + ") is still there after SIGKILL");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
