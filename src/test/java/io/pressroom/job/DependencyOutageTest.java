package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.stack.InjectPostgresControl;
import io.quarkus.test.junit.QuarkusTest;
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

    @Inject
    Pool database;

    @InjectPostgresControl
    Consumer<Boolean> postgresRunning;

    @Test
    void aFrozenDatabaseAnswers503QuicklyAndJobsRenderOnceItThaws() throws Exception {
        TestProject project = Api.newProject();
        List<ProcessHandle> postgres = postgresProcesses();
        signal("STOP", postgres);
        try {
            assertCreateRefusedQuickly(project);
        } finally {
            signal("CONT", postgres);
        }
        assertANewJobRenders(project);
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
