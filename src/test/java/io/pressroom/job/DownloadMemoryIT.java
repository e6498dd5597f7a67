package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pressroom.testing.AppProcess;
import io.pressroom.testing.stack.KafkaServer;
import io.pressroom.testing.stack.PostgresServer;
import io.pressroom.testing.stack.PressroomTestStack;
import io.pressroom.testing.stack.S3Server;
import io.pressroom.testing.stack.Stack;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The largest PDF a render may produce ({@code pressroom.chromium.max-output-bytes}, 50 MiB), downloaded by 30
 * clients at once from the packaged API with the heap of a 512 MiB pod ({@code -Xmx384m}, see {@link AppProcess}):
 * every client gets every byte (the stored sha256) and the API stays up. Holding each download in memory needs 1.5
 * GB; streamed, a download holds one chunk at a time.
 */
class DownloadMemoryIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ADMIN_KEY = "pra_downloads_admin_key";
    private static final int LARGEST_PDF = 52_428_800;
    private static final int CLIENTS = 30;
    private static final Path LOG_DIR = Path.of(System.getProperty("pressroom.it.log-dir", "target/multipod"))
            .toAbsolutePath();

    private static PostgresServer postgres;
    private static KafkaServer kafka;
    private static S3Server s3;
    private static Map<String, String> config;

    @BeforeAll
    static void startStack() throws Exception {
        postgres = new PostgresServer(0, null);
        kafka = new KafkaServer(0, null);
        s3 = new S3Server(0, null);
        Stack.startAll(postgres, kafka, s3);
        config = new LinkedHashMap<>(PressroomTestStack.packagedAppConfig(postgres, kafka.bootstrapServers(), s3, ADMIN_KEY));
        // the memory of 30 downloads at once is what is measured here, all of one project's: over its default share
        // (16 of the pod's 32; DownloadRangeTest checks the shares)
        config.put("pressroom.downloads.max-concurrent-per-project", Integer.toString(CLIENTS));
    }

    @AfterAll
    static void stopStack() {
        Stack.closeAll(s3, kafka, postgres);
    }

    @Test
    void thirtyClientsDownloadTheLargestPdfAtOnceWithinThePodsHeap() throws Exception {
        try (AppProcess api = AppProcess.start("downloads", config, LOG_DIR)) {
            api.awaitReady(Duration.ofSeconds(120));
            JsonNode project = api.call("POST", "/v1/projects", ADMIN_KEY, Map.of("name", "downloads"), 201);
            String key = api.call("POST", "/v1/projects/" + project.path("id").asText() + "/keys", ADMIN_KEY,
                    Map.of("name", "downloads"), 201).path("key").asText();
            String jobId = api.call("POST", "/v1/render-jobs", key, Map.of("html", "<p>large</p>"), 202)
                    .at("/job/id").asText();
            JsonNode done = await().atMost(Duration.ofSeconds(90)).until(
                    () -> api.call("GET", "/v1/render-jobs/" + jobId, key, null, 200),
                    job -> List.of("succeeded", "failed", "cancelled").contains(job.at("/job/status").asText()));
            assertThat(done.at("/job/status").asText()).as(done.toString()).isEqualTo("succeeded");

            // the job's PDF becomes the largest a render may produce (random bytes: nothing compresses)
            long seed = System.nanoTime();
            byte[] largest = new byte[LARGEST_PDF];
            new Random(seed).nextBytes(largest);
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(largest));
            String storageKey = replaceOutput(jobId, largest, sha256);
            largest = null;

            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<String>> downloads = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    downloads.add(clients.submit(() -> download(api, "/v1/render-jobs/" + jobId + "/output", key)));
                }
                for (Future<String> download : downloads) {
                    assertThat(download.get(5, TimeUnit.MINUTES)).as("seed %d, key %s, log:%n%s", seed, storageKey,
                            api.tail(40)).isEqualTo(LARGEST_PDF + " bytes, sha256 " + sha256);
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(api.isAlive()).isTrue();
            assertThat(api.tail(2000)).doesNotContain("OutOfMemoryError");
            api.call("GET", "/v1/render-jobs/" + jobId, key, null, 200);
        }
    }

    /** Puts {@code pdf} in place of the job's stored PDF and records its size and digest; its storage key. */
    private static String replaceOutput(String jobId, byte[] pdf, String sha256) throws Exception {
        String storageKey;
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER,
                PostgresServer.PASSWORD);
                PreparedStatement find = db.prepareStatement("SELECT storage_key FROM render_outputs WHERE job_id = ?");
                PreparedStatement update = db.prepareStatement(
                        "UPDATE render_outputs SET bytes = ?, sha256 = ? WHERE job_id = ?")) {
            find.setString(1, jobId);
            var found = find.executeQuery();
            assertThat(found.next()).isTrue();
            storageKey = found.getString(1);
            try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3.endpoint()))
                    .region(Region.of(S3Server.REGION)).forcePathStyle(true)
                    .httpClient(ApacheHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                    .build()) {
                client.putObject(b -> b.bucket("pressroom").key(storageKey).contentType("application/pdf"),
                        RequestBody.fromBytes(pdf));
            }
            update.setLong(1, pdf.length);
            update.setString(2, sha256);
            update.setString(3, jobId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        return storageKey;
    }

    /** Downloads {@code path} reading as it arrives; "N bytes, sha256 …", or the status and body of a refusal. */
    private static String download(AppProcess api, String path, String key) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(api.url(path)))
                .timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + key).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                return response.statusCode() + " " + new String(body.readAllBytes());
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int read; (read = body.read(buffer)) >= 0;) {
                digest.update(buffer, 0, read);
                total += read;
            }
            return total + " bytes, sha256 " + HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            return "broken download: " + e;
        }
    }
}
