package io.pressroom.testing.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL (zonky's embedded binaries, run as separate server processes) on 127.0.0.1.
 * <p>
 * The port and the data directory are fixed for the lifetime of this object, so {@link #stop()} followed by
 * {@link #start()} brings back the same database on the same address. Authentication is {@code trust}; user
 * {@code postgres}.
 */
public final class PostgresServer implements StackServer {

    public static final String USER = "postgres";
    /** Ignored by the server (trust authentication); given to clients that insist on a password. */
    public static final String PASSWORD = "postgres";

    private final int port;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private EmbeddedPostgres postgres;

    /**
     * @param port 0 for a free port, chosen now and kept across restarts
     * @param dataDir where the cluster lives (initialised when it holds none yet and kept on close), or null for a
     *        temporary directory that {@link #close()} deletes
     */
    public PostgresServer(int port, Path dataDir) {
        this.port = port == 0 ? Stack.freePort() : port;
        this.ownsDataDir = dataDir == null;
        this.dataDir = dataDir == null ? Stack.tempDir("pressroom-pg") : dataDir;
    }

    @Override
    public synchronized void start() throws IOException, InterruptedException {
        if (postgres != null) {
            return;
        }
        Files.createDirectories(dataDir);
        // A postmaster survives a killed JVM (pg_ctl detaches it); it would hold the port and the data directory.
        Stack.endLeftoverProcess(dataDir.resolve("postmaster.pid"), dataDir.toString(), "INT");
        postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                // zonky runs initdb only when the directory has no postgresql.conf; "clean" would also run initdb on
                // an existing cluster (which fails) and delete the directory on close. We keep data ourselves.
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // zonky turns synchronous_commit off: a commit is acknowledged before its WAL is written, and a
                // SIGKILL of the server then loses it (the fault suite lost a job answered 202 so). PostgreSQL's own
                // default, which Pressroom relies on: a 202 is a promise.
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    /**
     * Stops the server (fast shutdown: open connections are closed) and keeps its data for {@link #start()}. After a
     * SIGKILL from outside, zonky logs that {@code pg_ctl stop} failed; harmless: it releases its directory lock all
     * the same.
     */
    @Override
    public synchronized void stop() throws IOException {
        if (postgres != null) {
            EmbeddedPostgres running = postgres;
            postgres = null;
            running.close();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        stop();
        if (ownsDataDir) {
            Stack.deleteRecursively(dataDir);
        }
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The reactive client's URL of the {@code postgres} database. */
    public String reactiveUrl() {
        return reactiveUrl("postgres");
    }

    public String reactiveUrl(String database) {
        return "postgresql://" + host() + ":" + port + "/" + database;
    }

    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        return "jdbc:" + reactiveUrl(database);
    }

    /** Creates an empty database on this server and returns its JDBC URL. */
    public String createDatabase(String name) throws SQLException {
        return createDatabase(jdbcUrl(), name);
    }

    /**
     * Creates an empty database on the server behind {@code jdbcUrl} (any database of that server, e.g. the URL a
     * {@code @QuarkusTest} got from its config) and returns the new database's JDBC URL.
     */
    public static String createDatabase(String jdbcUrl, String name) throws SQLException {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        // same server, other database; a query string (if any) is kept
        return jdbcUrl.replaceFirst("/[^/?]*(\\?.*)?$", "/" + name + "$1");
    }
}
