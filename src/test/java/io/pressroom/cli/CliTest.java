package io.pressroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Pdfs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The command-line client against the running service, as a script or a container probe would use it. */
@QuarkusTest
class CliTest {

    @TestHTTPResource("/")
    URL base;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String api() {
        return base.toString();
    }

    @Test
    void healthExitsZeroWhenReadyAndOneWhenNothingAnswers() throws Exception {
        assertThat(run(Map.of(), "health", "--url", api())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"status\": \"UP\"");

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThat(run(Map.of(), "health", "--url", "http://127.0.0.1:" + closed)).isEqualTo(Cli.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not answer");
    }

    @Test
    void renderCreatesWaitsAndWritesThePdf() throws Exception {
        TestProject project = Api.newProject();
        Path template = Files.writeString(dir.resolve("invoice.html"), "<h1>Invoice {{number}}</h1>");
        Path payload = Files.writeString(dir.resolve("data.json"), "{\"number\": \"CLI-42\"}");
        Path pdf = dir.resolve("out.pdf");

        int status = run(Map.of("PRESSROOM_API", api(), "PRESSROOM_TOKEN", project.key()), "render", "--html",
                template.toString(), "--payload", payload.toString(), "--out", pdf.toString());

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(Pdfs.read(Files.readAllBytes(pdf)).text()).contains("Invoice CLI-42");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("succeeded", "written to " + pdf);
    }

    @Test
    void aFailedJobExitsTwoAndNamesTheError() throws Exception {
        TestProject project = Api.newProject();
        Path template = Files.writeString(dir.resolve("broken.html"), "<p>{{> missing}}</p>");

        int status = run(Map.of("PRESSROOM_API", api(), "PRESSROOM_TOKEN", project.key()), "render", "--html",
                template.toString(), "--out", dir.resolve("never.pdf").toString());

        assertThat(status).isEqualTo(Cli.JOB_FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("failed: template_error");
        assertThat(dir.resolve("never.pdf")).doesNotExist();
    }

    @Test
    void wrongUsageAndRefusedRequestsAreReported() throws Exception {
        assertThat(run(Map.of(), "render", "--html", "x.html")).isEqualTo(Cli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("PRESSROOM_API is not set");
        assertThat(run(Map.of(), "render", "--colour", "blue")).isEqualTo(Cli.USAGE);
        assertThat(run(Map.of("PRESSROOM_API", api(), "PRESSROOM_TOKEN", "prk_wrong"), "render", "--deploy",
                "invoice")).isEqualTo(Cli.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("401");
        assertThat(Cli.isCommand("-Dquarkus.http.host=0.0.0.0")).isFalse();
        assertThat(Cli.isCommand()).isFalse();
        assertThat(Cli.isCommand("health")).isTrue();
    }
}
