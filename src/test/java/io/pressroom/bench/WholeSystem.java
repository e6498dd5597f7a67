package io.pressroom.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.testing.AppProcess;

/**
 * The whole system as a client sees it: an inline-html job (A4, backgrounds) created over HTTP, until the PDF is
 * in hand. {@link #syncThenDownload} waits in the create request ({@code ?sync=true}); {@link #pollThenDownload}
 * creates, then reads the job every {@value #POLL_MILLIS} ms until it succeeded.
 */
final class WholeSystem {

    static final long POLL_MILLIS = 25;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    private final AppProcess app;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    WholeSystem(AppProcess app, String key) {
        this.app = app;
        this.key = key;
    }

    /** {@code POST /v1/render-jobs?sync=true} (200 with the finished job), then {@code GET …/output}. */
    void syncThenDownload(String html) throws Exception {
        JsonNode done = create(html, true);
        String status = done.at("/job/status").asText();
        if (!status.equals("succeeded")) {
            throw new IllegalStateException("job " + done.at("/job/id").asText() + " is " + status);
        }
        download(done.at("/job/id").asText());
    }

    /** {@code POST /v1/render-jobs} (202), {@code GET /v1/render-jobs/{id}} until succeeded, then the output. */
    void pollThenDownload(String html) throws Exception {
        String id = create(html, false).at("/job/id").asText();
        HttpRequest poll = request("/v1/render-jobs/" + id).GET().build();
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (true) {
            HttpResponse<String> response = http.send(poll, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET job " + id + ": " + response.statusCode() + " " + response.body());
            }
            String status = JSON.readTree(response.body()).at("/job/status").asText();
            if (status.equals("succeeded")) {
                break;
            }
            if (status.equals("failed") || status.equals("cancelled") || System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + id + " is " + status + ": " + response.body());
            }
            Thread.sleep(POLL_MILLIS);
        }
        download(id);
    }

    private JsonNode create(String html, boolean sync) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("html", html, "options",
                Map.of("format", "A4", "printBackground", true)));
        HttpResponse<String> response = http.send(request("/v1/render-jobs" + (sync ? "?sync=true" : ""))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        int expected = sync ? 200 : 202;
        if (response.statusCode() != expected) {
            throw new IllegalStateException("POST render-jobs answered " + response.statusCode() + " (not "
                    + expected + "): " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private void download(String id) throws IOException, InterruptedException {
        HttpResponse<byte[]> pdf = http.send(request("/v1/render-jobs/" + id + "/output").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (pdf.statusCode() != 200) {
            throw new IllegalStateException("GET output of " + id + ": " + pdf.statusCode());
        }
        Pdf.check(pdf.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(app.url(path))).timeout(JOB_TIMEOUT)
                .header("Authorization", "Bearer " + key);
    }
}
