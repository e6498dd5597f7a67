package io.pressroom.testing.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * An S3-compatible server: s3proxy in its own JVM ({@code java -jar s3proxy.jar}). It never shares a class path with
 * Pressroom, because it brings another AWS SDK, Jetty, Jackson and Guava.
 * <p>
 * In memory when it has no data directory; otherwise buckets are directories under the data directory and survive
 * restarts. Clients sign requests (v2 or v4) with {@link #ACCESS_KEY} / {@link #SECRET_KEY} and must use path-style
 * addressing.
 */
public final class S3Server implements StackServer {

    public static final String ACCESS_KEY = "pressroom";
    public static final String SECRET_KEY = "pressroom-secret";
    public static final String REGION = "us-east-1";
    /** System property with the jar's path (set by surefire, see pom.xml). */
    public static final String JAR_PROPERTY = "s3proxy.jar";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final int port;
    private final Path dataDir;
    private final Path jar;
    private final Path workDir;
    private final boolean ownsWorkDir;
    private volatile Process process;
    private Thread killer;
    private Tls tls;

    /** The key s3proxy serves HTTPS with, and what a client needs to trust it. */
    public record Tls(Path keyStore, String password) {

        /** A new self-signed key for 127.0.0.1 in a PKCS12 store under {@code dir}, made by the JDK's keytool. */
        public static Tls selfSigned(Path dir) throws IOException, InterruptedException {
            Path keyStore = dir.resolve("s3proxy-tls.p12");
            String password = "s3proxy-test";
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "s3proxy", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
                    keyStore.toString(), "-storepass", password, "-keypass", password)
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            return new Tls(keyStore, password);
        }

        /** Trust managers that trust this key only. */
        public TrustManager[] trustManagers() {
            try (InputStream in = Files.newInputStream(keyStore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password.toCharArray());
                TrustManagerFactory factory = TrustManagerFactory
                        .getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                return factory.getTrustManagers();
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot read " + keyStore, e);
            }
        }

        SSLContext context() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trustManagers(), null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no TLS context", e);
            }
        }
    }

    /**
     * @param dataDir where buckets are kept, or null for an in-memory store. s3proxy's configuration, log and pid file
     *        go to a sibling directory named {@code <dataDir>-server} (a temporary directory for in-memory stores)
     */
    public S3Server(int port, Path dataDir) {
        this(port, dataDir, defaultJar());
    }

    /**
     * @param port 0 for a free port, chosen now and kept across restarts
     * @param jar s3proxy's {@code jar-with-dependencies}
     */
    public S3Server(int port, Path dataDir, Path jar) {
        this.port = port == 0 ? Stack.freePort() : port;
        this.dataDir = dataDir;
        this.jar = jar;
        this.ownsWorkDir = dataDir == null;
        this.workDir = dataDir == null ? Stack.tempDir("pressroom-s3proxy")
                : dataDir.resolveSibling(dataDir.getFileName() + "-server");
    }

    /**
     * The jar that the build copies to {@code target/infra}: system property {@value #JAR_PROPERTY} (set by surefire),
     * else environment variable {@code PRESSROOM_S3PROXY_JAR}, else {@code target/infra/s3proxy.jar}.
     */
    public static Path defaultJar() {
        String configured = System.getProperty(JAR_PROPERTY, System.getenv("PRESSROOM_S3PROXY_JAR"));
        return Path.of(configured != null ? configured : "target/infra/s3proxy.jar").toAbsolutePath();
    }

    @Override
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null) {
            return;
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("s3proxy jar not found at " + jar
                    + " (the build copies it there in phase process-test-resources)");
        }
        Files.createDirectories(workDir);
        Path pidFile = workDir.resolve("s3proxy.pid");
        Stack.endLeftoverProcess(pidFile, jar.getFileName().toString(), "TERM");
        // otherwise an old s3proxy on the port would answer our readiness poll while ours fails to bind
        Stack.requireFreePort(port, "s3proxy");
        Path log = workDir.resolve("s3proxy.log");
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "--properties", writeProperties().toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        // a separate process outlives this JVM unless something ends it; the hook covers exits that skip close()
        killer = new Thread(this::kill, "s3proxy-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        Files.writeString(pidFile, process.pid() + "\n");
        try {
            awaitReady(log);
        } catch (IOException | RuntimeException | InterruptedException e) {
            stop();
            throw e;
        }
    }

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
        try {
            Files.deleteIfExists(workDir.resolve("s3proxy.pid"));
        } catch (IOException e) {
            // harmless: the next start checks whether that pid is still an s3proxy
        }
    }

    @Override
    public synchronized void close() throws IOException {
        stop();
        if (ownsWorkDir) {
            Stack.deleteRecursively(workDir);
        }
    }

    /** Serves HTTPS (only) with {@code tls}'s key from the next start on, as S3 itself is reached. */
    public synchronized S3Server tls(Tls tls) {
        this.tls = tls;
        return this;
    }

    /** The key it serves HTTPS with, or null when it serves plain HTTP. */
    public synchronized Tls tls() {
        return tls;
    }

    public String endpoint() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** s3proxy's process id, for signals; -1 when it is not running. */
    public long pid() {
        Process running = process;
        return running == null ? -1 : running.pid();
    }

    private void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private Path writeProperties() throws IOException {
        Properties properties = new Properties();
        if (tls == null) {
            properties.put("s3proxy.endpoint", endpoint());
        } else {
            properties.put("s3proxy.secure-endpoint", endpoint());
            properties.put("s3proxy.keystore-path", tls.keyStore().toAbsolutePath().toString());
            properties.put("s3proxy.keystore-password", tls.password());
        }
        properties.put("s3proxy.authorization", "aws-v2-or-v4");
        properties.put("s3proxy.identity", ACCESS_KEY);
        properties.put("s3proxy.credential", SECRET_KEY);
        properties.put("jclouds.identity", ACCESS_KEY);
        properties.put("jclouds.credential", SECRET_KEY);
        if (dataDir == null) {
            properties.put("jclouds.provider", "transient");
        } else {
            Files.createDirectories(dataDir);
            properties.put("jclouds.provider", "filesystem");
            properties.put("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        }
        Path file = workDir.resolve("s3proxy.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, null);
        }
        return file;
    }

    /** Polls {@code GET /} until s3proxy answers anything (unsigned, so 403 is the usual "I'm up"). */
    private void awaitReady(Path log) throws IOException, InterruptedException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
        HttpClient client = (tls == null ? builder : builder.sslContext(tls.context())).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited with status " + process.exitValue() + ":\n" + tail(log));
            }
            try {
                client.send(request, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not answer on " + endpoint() + " within "
                            + STARTUP_TIMEOUT.toSeconds() + " s:\n" + tail(log), notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
