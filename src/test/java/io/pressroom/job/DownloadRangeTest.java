package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.storage.ObjectStorage;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Downloads are streamed with Range support (RFC 9110 §14), through the API ({@code GET …/output}, previews) and
 * through signed links, and one link is downloaded at most {@code max-concurrent-per-link} times at once.
 */
@QuarkusTest
class DownloadRangeTest {

    private static TestProject project;
    private static String jobId;
    private static byte[] pdf;
    private static String sha256;

    @Inject
    ObjectStorage storage;

    @Inject
    Pool database;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @BeforeEach
    void renderOnce() throws Exception {
        if (project != null) {
            return;
        }
        project = Api.newProject();
        jobId = project.call().body(Map.of("html", "<h1>Ranges</h1><p>" + "text ".repeat(2000) + "</p>", "formats",
                List.of("pdf", "png"))).post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("succeeded");
        sha256 = done.getString("output.sha256");
        pdf = project.call().get("/v1/render-jobs/" + jobId + "/output").then().statusCode(200).extract()
                .asByteArray();
    }

    @Test
    void theWholeFileComesWithItsLengthTagAndTheStoredDigest() throws Exception {
        Response whole = project.call().get("/v1/render-jobs/" + jobId + "/output");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.contentType()).isEqualTo("application/pdf");
        assertThat(whole.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(whole.header("ETag")).isEqualTo("\"" + sha256 + "\"");
        assertThat(whole.header("Content-Length")).isEqualTo(Integer.toString(pdf.length));
        assertThat(whole.header("Transfer-Encoding")).isNull();
        assertThat(whole.header("Content-Disposition")).startsWith("attachment; filename=");
        assertThat(whole.header("Cache-Control")).isEqualTo("private, no-store");
        assertThat(HeldDownloads.sha256(whole.asByteArray())).isEqualTo(sha256);
    }

    @Test
    void aClientThatAcceptsOnlyJsonStillGetsTheFile() throws Exception {
        // SDKs often send Accept: application/json on every request; the CLI did
        Response whole = project.call().header("Accept", "application/json").get("/v1/render-jobs/" + jobId + "/output");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(HeldDownloads.sha256(whole.asByteArray())).isEqualTo(sha256);
        project.call().header("Accept", "application/json").get("/v1/render-jobs/" + jobId + "/output/pages/1.png")
                .then().statusCode(200).contentType("image/png");
    }

    @Test
    void rangesOfEachFormGet206WithThatPart() {
        int n = pdf.length;
        assertThat(n).isGreaterThan(1000);
        assertRange("bytes=0-0", 0, 0);
        assertRange("bytes=100-199", 100, 199);
        assertRange("bytes=-50", n - 50, n - 1);
        assertRange("bytes=" + (n - 10) + "-", n - 10, n - 1);
        assertRange("bytes=" + (n - 5) + "-" + (n + 1000), n - 5, n - 1);
        // the same through a signed link
        String link = link();
        Response part = given().header("Range", "bytes=10-20").get(link);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(pdf, 10, 21));
        assertThat(part.header("Content-Range")).isEqualTo("bytes 10-20/" + n);
    }

    @Test
    void aRangeBeyondTheEndIs416SayingTheLength() {
        for (String range : List.of("bytes=" + pdf.length + "-", "bytes=" + (pdf.length + 5) + "-" + (pdf.length + 9),
                "bytes=-0")) {
            Response refused = project.call().header("Range", range).get("/v1/render-jobs/" + jobId + "/output");
            assertThat(refused.statusCode()).as(range).isEqualTo(416);
            assertThat(refused.contentType()).isEqualTo("application/problem+json");
            assertThat(refused.jsonPath().getString("code")).isEqualTo("range_not_satisfiable");
            assertThat(refused.header("Content-Range")).isEqualTo("bytes */" + pdf.length);
        }
        given().header("Range", "bytes=" + pdf.length + "-").get(link()).then().statusCode(416)
                .header("Content-Range", "bytes */" + pdf.length);
    }

    @Test
    void ifRangeSendsThePartOnlyOfTheSameVersion() {
        Response same = project.call().header("Range", "bytes=0-9").header("If-Range", "\"" + sha256 + "\"")
                .get("/v1/render-jobs/" + jobId + "/output");
        assertThat(same.statusCode()).isEqualTo(206);
        assertThat(same.asByteArray()).isEqualTo(Arrays.copyOf(pdf, 10));
        Response other = project.call().header("Range", "bytes=0-9").header("If-Range", "\"0123\"")
                .get("/v1/render-jobs/" + jobId + "/output");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.asByteArray()).isEqualTo(pdf);
        // several ranges: the whole file
        assertThat(project.call().header("Range", "bytes=0-1,5-6").get("/v1/render-jobs/" + jobId + "/output")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void previewsAreServedTheSameWay() {
        byte[] png = project.call().get("/v1/render-jobs/" + jobId + "/output/pages/1.png").then().statusCode(200)
                .contentType("image/png").header("Accept-Ranges", "bytes").extract().asByteArray();
        Response part = project.call().header("Range", "bytes=-8").get("/v1/render-jobs/" + jobId
                + "/output/pages/1.png");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(png, png.length - 8, png.length));
        project.call().header("Range", "bytes=" + png.length + "-").get("/v1/render-jobs/" + jobId
                + "/output/pages/1.png").then().statusCode(416);
    }

    @Test
    void aPdfMissingFromStorageIs404BeforeAnyByteNotACutDownload() {
        // the download takes the PDF's length from the database and asks storage once, for the bytes: an object
        // removed behind the database's back must still answer a problem, not a 200 whose body never comes
        TestProject owner = Api.newProject();
        String id = owner.call().body(Map.of("html", "<p>gone</p>")).post("/v1/render-jobs").then().statusCode(202)
                .extract().path("job.id");
        assertThat(awaitTerminal(owner, id).getString("job.status")).isEqualTo("succeeded");
        String key = database.preparedQuery("SELECT storage_key FROM render_outputs WHERE job_id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next().getString(0);
        String link = owner.call().post("/v1/render-jobs/" + id + "/output-download").then().statusCode(200)
                .extract().path("access.url");
        storage.delete(key);

        owner.call().get("/v1/render-jobs/" + id + "/output").then().statusCode(404)
                .contentType("application/problem+json").body("code", org.hamcrest.Matchers.equalTo("output_gone"));
        given().header("Range", "bytes=0-9").get(link).then().statusCode(404)
                .contentType("application/problem+json").body("code", org.hamcrest.Matchers.equalTo("output_gone"));
    }

    @Test
    void oneLinkIsDownloadedAtMostFourTimesAtOnceAndEveryEndGivesItsSlotBack() throws Exception {
        TestProject owner = Api.newProject();
        long seed = System.nanoTime();
        byte[] big = new byte[16 * 1024 * 1024];
        new Random(seed).nextBytes(big);
        String id = HeldDownloads.jobWithOutput(owner, big, storage, database);
        String link = owner.call().post("/v1/render-jobs/" + id + "/output-download").then().statusCode(200)
                .extract().path("access.url");

        // finished downloads give their slots back: more than four one after the other all succeed
        for (int i = 0; i < 6; i++) {
            given().header("Range", "bytes=0-0").get(link).then().statusCode(206);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<InputStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                HttpResponse<InputStream> started = client.send(HttpRequest.newBuilder(URI.create(link)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(started.statusCode()).isEqualTo(200);
                assertThat(started.body().read()).isNotNegative();
                open.add(started.body());
            }
            Response fifth = given().get(link);
            assertThat(fifth.statusCode()).as("seed %d", seed).isEqualTo(429);
            assertThat(fifth.contentType()).isEqualTo("application/problem+json");
            assertThat(fifth.jsonPath().getString("code")).isEqualTo("too_many_downloads");
            assertThat(fifth.header("Retry-After")).isNotNull();
            // the project's own download through the API is not a link's
            owner.call().header("Range", "bytes=0-0").get("/v1/render-jobs/" + id + "/output").then()
                    .statusCode(206);

            // a client that goes away gives its slot back
            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Response again = given().get(link);
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(HeldDownloads.sha256(again.asByteArray())).isEqualTo(HeldDownloads.sha256(big));
            });
        } finally {
            for (InputStream stream : open) {
                stream.close();
            }
        }
    }

    /**
     * Downloads hold a storage connection while their clients read. One project's downloads take at most
     * {@code max-concurrent-per-project} (16) of the pod's {@code max-concurrent} (32): its next gets 429. Once the
     * pod's are all taken, any project's next gets 503 {@code server_busy}, and a create that writes its payload to
     * storage still goes through. Before, one project's 60 downloads whose clients stopped reading took all 50 storage
     * connections: every other project's downloads and large creates failed with 503 {@code storage_unavailable}.
     */
    @Test
    void oneProjectsHeldDownloadsLeaveRoomForTheOthersAndForStorage() throws Exception {
        List<TestProject> holders = List.of(Api.newProject(), Api.newProject());
        byte[] big = new byte[4 * 1024 * 1024];
        new Random(7).nextBytes(big);
        List<String> jobs = new ArrayList<>();
        for (TestProject holder : holders) {
            jobs.add(HeldDownloads.jobWithOutput(holder, big, storage, database));
        }
        TestProject other = Api.newProject();
        String small = other.call().body(Map.of("html", "<p>small</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        awaitTerminal(other, small);

        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                for (int n = 0; n < 16; n++) {
                    held.add(HeldDownloads.open(port, holders.get(i), jobs.get(i)));
                }
            }
            for (Socket socket : held) {
                assertThat(HeldDownloads.statusLine(socket)).isEqualTo("HTTP/1.1 200 OK");
            }
            Response seventeenth = holders.get(0).call().get("/v1/render-jobs/" + jobs.get(0) + "/output");
            assertThat(seventeenth.statusCode()).isEqualTo(429);
            assertThat(seventeenth.jsonPath().getString("code")).isEqualTo("too_many_downloads");
            assertThat(seventeenth.header("Retry-After")).isEqualTo("1");
            Response busy = other.call().get("/v1/render-jobs/" + small + "/output");
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.jsonPath().getString("code")).isEqualTo("server_busy");
            // a payload over inline-payload-max-bytes (64 KiB) is written to storage by the API
            other.call().body(Map.of("html", "<p>{{text}}</p>", "payload", Map.of("text", "x".repeat(100_000))))
                    .post("/v1/render-jobs").then().statusCode(202);

            held.remove(0).close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> other.call().get("/v1/render-jobs/" + small + "/output").statusCode() == 200);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private void assertRange(String range, int first, int last) {
        Response part = project.call().header("Range", range).get("/v1/render-jobs/" + jobId + "/output");
        assertThat(part.statusCode()).as(range).isEqualTo(206);
        assertThat(part.header("Content-Range")).as(range).isEqualTo("bytes " + first + "-" + last + "/" + pdf.length);
        assertThat(part.header("Content-Length")).as(range).isEqualTo(Integer.toString(last - first + 1));
        assertThat(part.header("ETag")).isEqualTo("\"" + sha256 + "\"");
        assertThat(part.asByteArray()).as(range).isEqualTo(Arrays.copyOfRange(pdf, first, last + 1));
    }

    private static String link() {
        return project.call().post("/v1/render-jobs/" + jobId + "/output-download").then().statusCode(200)
                .extract().path("access.url");
    }
}
