package io.pressroom.testing.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * The stack for the local run ({@code deploy/local/run.sh}): the same servers as the tests, on fixed ports, with
 * their data under {@code $PRESSROOM_DATA_DIR} so that it survives restarts.
 * <p>
 * Data: {@code postgres/}, {@code kafka/}, {@code s3/} (buckets) and {@code s3-server/} (s3proxy's configuration and
 * log). When all servers are up it writes {@code $PRESSROOM_DATA_DIR/stack.env} ({@code export KEY=value} lines that
 * configure Pressroom) and then runs until SIGTERM or SIGINT; shutting down stops every server and removes
 * {@code stack.env} again.
 * <p>
 * Environment: {@code PRESSROOM_DATA_DIR} (required, absolute), {@code PRESSROOM_PG_PORT} (55432),
 * {@code PRESSROOM_KAFKA_PORT} (59092; the KRaft controller takes the next port), {@code PRESSROOM_S3_PORT}
 * (59000), {@code PRESSROOM_S3PROXY_JAR} (or system property {@code s3proxy.jar}; default
 * {@code target/infra/s3proxy.jar}).
 */
public final class LocalStack {

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        logToConsole();
        long started = System.nanoTime();
        Path dataDir = dataDir();
        int kafkaPort = port("PRESSROOM_KAFKA_PORT", 59092);
        PostgresServer postgres = new PostgresServer(port("PRESSROOM_PG_PORT", 55432), dataDir.resolve("postgres"));
        KafkaServer kafka = new KafkaServer(kafkaPort, kafkaPort + 1, dataDir.resolve("kafka"));
        S3Server s3 = new S3Server(port("PRESSROOM_S3_PORT", 59000), dataDir.resolve("s3"));

        // stack.env announces a running stack: never leave an old one around, and remove ours before stopping.
        Path envFile = dataDir.resolve("stack.env");
        Files.deleteIfExists(envFile);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(envFile);
            } catch (IOException e) {
                e.printStackTrace();
            }
            Stack.closeAll(s3, kafka, postgres);
            System.out.println("Local stack stopped.");
        }, "local-stack-shutdown"));

        try {
            Stack.startAll(postgres, kafka, s3);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        writeAtomically(envFile, environment(PressroomTestStack.config(postgres, kafka, s3)));
        System.out.printf("Local stack up in %.1f s: PostgreSQL %s, Kafka %s, S3 %s; environment in %s%n",
                (System.nanoTime() - started) / 1e9, postgres.jdbcUrl(), kafka.bootstrapServers(), s3.endpoint(),
                envFile);
        new CountDownLatch(1).await(); // until a signal runs the shutdown hook
    }

    /**
     * slf4j (zonky, Kafka) is bound to JBoss LogManager on this class path, which has no handler unless someone (in
     * tests: Quarkus) configures one; without this, errors of the servers would be lost. Must precede any logging.
     */
    static void logToConsole() {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(new ConsoleHandler(new PatternFormatter("%d{HH:mm:ss,SSS} %-5p [%c{3.}] %s%e%n")));
    }

    private static Path dataDir() {
        String value = System.getenv("PRESSROOM_DATA_DIR");
        if (value == null || value.isBlank() || !Path.of(value).isAbsolute()) {
            throw new IllegalArgumentException("PRESSROOM_DATA_DIR must be an absolute path, got: " + value);
        }
        return Path.of(value);
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    /** Quarkus property names as environment variables (the MicroProfile Config rule: upper case, '_' for others). */
    static String environment(Map<String, String> config) {
        return config.entrySet().stream()
                .map(e -> "export " + e.getKey().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "="
                        + shellQuoted(e.getValue()))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String shellQuoted(String value) {
        return value.matches("[A-Za-z0-9_@%+=:,./-]*") ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    // Write then rename, so whoever waits for the file never reads half of it.
    private static void writeAtomically(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
