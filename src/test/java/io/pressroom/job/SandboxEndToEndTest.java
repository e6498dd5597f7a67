package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;

/** A hostile template through the whole pipeline: nothing reaches the network, every attempt is reported. */
@QuarkusTest
class SandboxEndToEndTest {

    @Test
    void aHostileTemplateReachesNothingAndEveryAttemptIsReported() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        HttpServer canary = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        canary.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        canary.start();
        try {
            String base = "http://127.0.0.1:" + canary.getAddress().getPort();
            String html = """
                    <html><head>
                    <link rel="stylesheet" href="%1$s/style.css"><link rel="prefetch" href="%1$s/prefetch">
                    <style>body { background: url('%1$s/bg.png') }</style>
                    <meta http-equiv="refresh" content="0; url=%1$s/refresh">
                    </head><body><h1>Hostile {{name}}</h1>
                    <img src="%1$s/img.png"><img src="file:///etc/passwd"><img src="http://169.254.169.254/latest">
                    <iframe src="%1$s/frame"></iframe>
                    <script>
                      fetch('%1$s/fetch').catch(() => {});
                      var x = new XMLHttpRequest(); x.open('GET', '%1$s/xhr'); x.send();
                      try { new WebSocket('ws://127.0.0.1:%2$d/ws'); } catch (e) {}
                    </script>
                    </body></html>""".formatted(base, canary.getAddress().getPort());
            TestProject project = Api.newProject();
            String deployId = Api.deployWith(project, html);
            String jobId = project.call().body(Map.of("deployId", deployId, "payload", Map.of("name", "doc"),
                    "options", Map.of("waitDelayMs", 1000))).post("/v1/render-jobs").then().statusCode(202)
                    .extract().path("job.id");
            assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");

            assertThat(hits.get()).isZero();
            List<Map<String, Object>> blocked = project.call().get("/v1/render-jobs/" + jobId + "/report").then()
                    .statusCode(200).extract().jsonPath().getList("blockedRequests");
            // (file: URLs never get as far as a request: Chromium refuses them from a web origin)
            assertThat(blocked).extracting(b -> (String) b.get("url")).contains(base + "/img.png",
                    base + "/style.css", base + "/frame", base + "/fetch", base + "/xhr", base + "/bg.png",
                    "http://169.254.169.254/latest");
        } finally {
            canary.stop(0);
        }
    }

    /**
     * What a page logs comes back in its job's report, and PostgreSQL stores no NUL character: a console error with
     * one left the succeeded event unappliable, dead-lettered, and the job rendering for good.
     */
    @Test
    void aPageThatLogsTheNulCharacterStillEndsItsJob() {
        TestProject project = Api.newProject();
        String html = "<p>x</p><script>console.error('before' + String.fromCharCode(0) + 'after');</script>";
        String jobId = project.call().body(Map.of("html", html, "options", Map.of("javascript", true)))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");

        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");
        List<String> errors = project.call().get("/v1/render-jobs/" + jobId + "/report").then().statusCode(200)
                .extract().jsonPath().getList("consoleErrors");
        assertThat(errors).anyMatch(error -> error.contains("before\uFFFDafter"));
    }
}
