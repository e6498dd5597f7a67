package io.pressroom.testing.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A single-node Kafka (KRaft, broker and controller in one) running inside this JVM, on 127.0.0.1.
 * <p>
 * The log directory is formatted only when it has never been formatted, so a persistent directory survives
 * restarts with its topics and offsets.
 */
public final class KafkaServer implements StackServer {

    // Kafka logs every config value and state change at INFO. Held strongly: JUL keeps loggers weakly.
    private static final List<Logger> QUIET = List.of(Logger.getLogger("kafka"), Logger.getLogger("org.apache.kafka"),
            Logger.getLogger("state.change.logger"));

    private final int port;
    private final int controllerPort;
    private final Path logDir;
    private final boolean ownsLogDir;
    private KafkaRaftServer server;

    /** A broker on {@code port} (0 = free port) with a free controller port. */
    public KafkaServer(int port, Path logDir) {
        this(port, 0, logDir);
    }

    /**
     * @param port client port, 0 for a free one (chosen now and kept across restarts)
     * @param controllerPort KRaft controller port, 0 for a free one
     * @param logDir the data (topics and cluster metadata), or null for a temporary directory that {@link #close()}
     *        deletes
     */
    public KafkaServer(int port, int controllerPort, Path logDir) {
        this.port = port == 0 ? Stack.freePort() : port;
        this.controllerPort = controllerPort == 0 ? Stack.freePort() : controllerPort;
        this.ownsLogDir = logDir == null;
        this.logDir = logDir == null ? Stack.tempDir("pressroom-kafka") : logDir;
    }

    @Override
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
        Files.createDirectories(logDir);
        Properties config = config();
        formatOnce(config);
        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        try {
            // returns once the broker is unfenced, i.e. ready for clients
            starting.startup();
        } catch (RuntimeException e) {
            starting.shutdown();
            throw e;
        }
        server = starting;
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            KafkaRaftServer running = server;
            server = null;
            running.shutdown();
            running.awaitShutdown();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        stop();
        if (ownsLogDir) {
            Stack.deleteRecursively(logDir);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    private Properties config() {
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", logDir.toAbsolutePath().toString());
        // one node: every internal topic has a single replica
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("num.partitions", "1");
        // After a kill -9 the restarted node waits for its own old registration to expire (default 9 s) before it
        // serves clients; heartbeats stay cheap, as broker and controller share a JVM.
        config.put("broker.session.timeout.ms", "3000");
        config.put("broker.heartbeat.interval.ms", "1000");
        // consumers join at once instead of waiting 3 s for more members
        config.put("group.initial.rebalance.delay.ms", "0");
        // the log cleaner would otherwise allocate a 128 MB buffer on a heap shared with the application under test
        config.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        return config;
    }

    private void formatOnce(Properties config) throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path configFile = Files.createTempFile("pressroom-kafka", ".properties");
        try {
            try (OutputStream out = Files.newOutputStream(configFile)) {
                config.store(out, null);
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            String[] args = { "format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString() };
            int status = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
            if (status != 0) {
                throw new IllegalStateException("formatting " + logDir + " failed: " + output);
            }
        } finally {
            Files.deleteIfExists(configFile);
        }
    }
}
