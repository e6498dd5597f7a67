package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.stack.InjectPostgresControl;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * While PostgreSQL is away — frozen (SIGSTOP: connections open, nothing answers) or down (connections refused) —
 * a create answers 503 dependency_unavailable with Retry-After within 5 s instead of hanging, and once it is back a
 * new job renders without anything being restarted. An object storage outage during a render is waited out by the
 * renderer, not counted as a failed attempt.
 */
@QuarkusTest
class DependencyOutageTest {

    /** quarkus.datasource.reactive.max-size */
    private static final int POOL_SIZE = 20;

    @Inject
    Pool database;

    @InjectPostgresControl
    Consumer<Boolean> postgresRunning;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @ConfigProperty(name = "pressroom.database.statement-timeout")
    Duration statementTimeout;

    @Test
    void aFrozenDatabaseAnswers503QuicklyAndJobsRenderOnceItThaws() throws Exception {
        TestProject project = Api.newProject();
        String jobId = project.call().body(Map.of("html", "<p>rendered before the freeze</p>"))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");
        String link = project.call().post("/v1/render-jobs/" + jobId + "/output-download").then().statusCode(200)
                .extract().path("access.url");
        List<ProcessHandle> postgres = postgresProcesses();
        signal("STOP", postgres);
        try {
            assertCreateRefusedQuickly(project);
            // reads too: the job, the list, the PDF through the API and through a signed link (no key check)
            assertUnavailableQuickly(() -> project.call().get("/v1/render-jobs/" + jobId));
            assertUnavailableQuickly(() -> project.call().get("/v1/render-jobs"));
            assertUnavailableQuickly(() -> project.call().get("/v1/render-jobs/" + jobId + "/output"));
            assertUnavailableQuickly(() -> RestAssured.given().get(link));
        } finally {
            signal("CONT", postgres);
        }
        assertANewJobRenders(project);
    }

    /**
     * A job row locked elsewhere (a stuck transaction): each cancel of it answers 503 in time, and the statements
     * left waiting on the lock end at the statement timeout, so the connections they held serve other requests
     * again while the lock is still held — more cancels than the pool has connections would otherwise starve it.
     */
    @Test
    void aLockedJobRowAnswers503QuicklyAndDoesNotStarveThePool() throws Exception {
        TestProject project = Api.newProject();
        String locked = project.call().body(Map.of("html", "<p>locked</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        String other = project.call().body(Map.of("html", "<p>other</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        awaitTerminal(project, locked);
        ExecutorService clients = Executors.newFixedThreadPool(POOL_SIZE + 4);
        try (Connection holder = DriverManager.getConnection(jdbcUrl, user, password)) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM render_jobs WHERE id = ? FOR UPDATE")) {
                lock.setString(1, locked);
                lock.executeQuery().close();
            }
            long lockedAt = System.nanoTime();
            assertUnavailableQuickly(() -> project.call().delete("/v1/render-jobs/" + locked));
            // then more at once than the pool has connections (each answers 503; on a loaded 2-core machine the
            // client's own overhead for so many at once is not what this measures)
            List<Future<?>> cancels = new ArrayList<>();
            for (int i = 0; i < POOL_SIZE + 4; i++) {
                cancels.add(clients.submit(() -> assertUnavailable(() -> project.call().delete("/v1/render-jobs/"
                        + locked), Duration.ofSeconds(10))));
            }
            for (Future<?> cancel : cancels) {
                cancel.get(30, TimeUnit.SECONDS);
            }
            // the lock is still held: once the waiting statements have timed out, a read gets a connection again
            Response read = Awaitility.await().atMost(statementTimeout.plusSeconds(15))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> project.call().get("/v1/render-jobs/" + other), r -> r.statusCode() == 200);
            assertThat(read.jsonPath().getString("job.id")).isEqualTo(other);
            assertThat(Duration.ofNanos(System.nanoTime() - lockedAt)).isLessThan(statementTimeout.plusSeconds(15));
            holder.rollback();
        } finally {
            clients.shutdownNow();
        }
        // the lock is gone: the job answers again (it has ended, so it can no longer be cancelled)
        project.call().delete("/v1/render-jobs/" + locked).then().statusCode(409);
        assertANewJobRenders(project);
    }

    @Test
    void everyConnectionCarriesTheStatementTimeout() {
        String setting = database.query("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'").execute().await()
                .atMost(Duration.ofSeconds(10))
                .iterator().next().getString(0);
        assertThat(setting).isEqualTo(Long.toString(statementTimeout.toMillis()));
    }

    @Test
    void aStoppedDatabaseAnswers503QuicklyAndJobsRenderOnceItIsBack() {
        TestProject project = Api.newProject();
        postgresRunning.accept(false);
        try {
            assertCreateRefusedQuickly(project);
        } finally {
            postgresRunning.accept(true);
        }
        assertANewJobRenders(project);
    }

    @Test
    void aStorageOutageDuringARenderIsWaitedOutWithoutBurningAnAttempt() throws Exception {
        TestProject project = Api.newProject();
        String jobId = project.call().body(Map.of("html", "<p>stored after the outage</p>", "options",
                Map.of("waitDelayMs", 1500))).post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> "rendering".equals(
                project.call().get("/v1/render-jobs/" + jobId).then().extract().path("job.status")));
        List<ProcessHandle> s3 = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(line -> line.contains("s3proxy")).orElse(false)).toList();
        assertThat(s3).isNotEmpty();
        signal("STOP", s3);
        try {
            // longer than the storage timeout (5 s in tests) and the S3 client's own retries behind it
            Thread.sleep(20_000);
        } finally {
            signal("CONT", s3);
        }
        var done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getInt("job.attempt")).isEqualTo(1);
    }

    /** A request that must answer 503 dependency_unavailable within 5 s; run with a client-side bound, not to hang. */
    private static void assertUnavailableQuickly(Supplier<Response> request) {
        assertUnavailable(request, Duration.ofSeconds(5));
    }

    private static void assertUnavailable(Supplier<Response> request, Duration within) {
        long start = System.nanoTime();
        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(request, Executors.newSingleThreadExecutor());
        Response response;
        try {
            response = answer.get(within.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + within.multipliedBy(2), e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(503);
        assertThat(response.jsonPath().getString("code")).isEqualTo("dependency_unavailable");
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(millis).as("ms until the 503").isLessThan(within.toMillis());
    }

    private static void assertCreateRefusedQuickly(TestProject project) {
        long start = System.nanoTime();
        Response response = project.call().body(Map.of("html", "<p>during the outage</p>")).post("/v1/render-jobs");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(503);
        assertThat(response.jsonPath().getString("code")).isEqualTo("dependency_unavailable");
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(millis).as("ms until the 503").isLessThan(5_000);
    }

    private static void assertANewJobRenders(TestProject project) {
        String jobId = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> project.call().body(Map.of("html", "<p>after the outage</p>")).post("/v1/render-jobs"),
                        response -> response.statusCode() == 202)
                .jsonPath().getString("job.id");
        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");
    }

    /** The postmaster and its backends, found from the data directory the server reports. */
    private List<ProcessHandle> postgresProcesses() throws IOException {
        String dataDir = database.query("SHOW data_directory").execute().await().indefinitely().iterator().next()
                .getString(0);
        long pid = Long.parseLong(Files.readAllLines(Path.of(dataDir, "postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        return Stream.concat(Stream.of(postmaster), postmaster.descendants()).toList();
    }

    private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        for (ProcessHandle process : processes) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        }
    }
}
