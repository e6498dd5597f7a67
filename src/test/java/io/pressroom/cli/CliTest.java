package io.pressroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Management;
import io.pressroom.testing.Pdfs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The command line against the running service, as a script or a container probe uses it: each command's exit status,
 * what it prints, and what it changed, read back through the API.
 */
@QuarkusTest
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** How often a command started the service (the real one is Quarkus.run). */
    private final AtomicInteger served = new AtomicInteger();

    private int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), served::incrementAndGet).run(args);
    }

    /** A client command with PRESSROOM_API and PRESSROOM_TOKEN set, as after deploy/local/run.sh. */
    private int client(TestProject project, String... args) {
        return run(Map.of("PRESSROOM_API", api(), "PRESSROOM_TOKEN", project.key()), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String api() {
        return base.toString();
    }

    @Test
    void theExitStatusesAreTheDocumentedOnes() {
        // README and docs/cli.md promise these to scripts and probes
        assertThat(List.of(Cli.OK, Cli.FAILED, Cli.USAGE, Cli.API_ERROR, Cli.UNREACHABLE, Cli.TIMEOUT))
                .containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void helpAndVersionExitZeroOnEveryCommandWithoutStartingTheService() {
        List<List<String>> helps = List.of(List.of("--help"), List.of("-h"), List.of("jobs", "--help"),
                List.of("deploy", "--help"), List.of("deploy", "push", "-h"), List.of("jobs", "get", "--help"),
                List.of("render", "--help"), List.of("health", "-h"), List.of("serve", "--help"),
                List.of("help", "deploy"));
        for (List<String> args : helps) {
            assertThat(run(Map.of(), args.toArray(String[]::new))).as(args + ": " + err()).isZero();
            String command = String.join(" ", args.stream().filter(a -> !a.startsWith("-") && !a.equals("help"))
                    .toList());
            assertThat(out()).as(args.toString()).startsWith(("Usage: pressroom " + command).strip())
                    .contains("Exit status:", "5   the job was still running");
        }
        for (List<String> args : List.of(List.of("--version"), List.of("-V"), List.of("jobs", "wait", "--version"),
                List.of("deploy", "rollback", "-V"))) {
            assertThat(run(Map.of(), args.toArray(String[]::new))).as(args.toString()).isZero();
            // the build's version, filled in by Maven: never the fallback of a missing resource
            assertThat(out()).as(args.toString()).matches("pressroom \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
        }
        assertThat(served).hasValue(0);

        assertThat(run(Map.of())).isZero();
        assertThat(served).hasValue(1);
        assertThat(run(Map.of(), "serve", "-Dpressroom.cli-test=on")).isZero();
        assertThat(served).hasValue(2);
        assertThat(System.clearProperty("pressroom.cli-test")).isEqualTo("on");
    }

    /** The binary's own entry point in a JVM of its own: help and version print and exit, Quarkus never starts. */
    @Test
    void theMainClassPrintsHelpAndVersionAndExits() throws Exception {
        Map<List<String>, String> expected = Map.of(List.of("--help"), "(?s)Usage: pressroom \\[-hV].*Commands:.*",
                List.of("deploy", "push", "--version"), "pressroom \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
        for (var entry : expected.entrySet()) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), PressroomMain.class.getName()));
            command.addAll(entry.getKey());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).matches(entry.getValue());
        }
    }

    @Test
    void usageErrorsExitTwoWithTheProblemAndTheSynopsis() throws Exception {
        TestProject project = Api.newProject();
        assertThat(run(Map.of(), "render", "--colour", "blue")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("Unknown options: '--colour', 'blue'", "Usage: pressroom render", "--help");
        assertThat(run(Map.of(), "render", "--html", "x.html")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("give --api or set PRESSROOM_API");
        assertThat(run(Map.of("PRESSROOM_API", api()), "jobs", "list")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("give --token or set PRESSROOM_TOKEN");
        assertThat(client(project, "render", "--deploy", "x", "--html=y.html")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("mutually exclusive");
        assertThat(client(project, "jobs", "get")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("Missing required parameter: 'JOB'");
        assertThat(client(project, "jobs", "wait", "rj_x", "--timeout=0")).isEqualTo(Cli.USAGE);
        assertThat(client(project, "jobs", "wait", "rj_x", "--timeout", "soon")).isEqualTo(Cli.USAGE);
        assertThat(client(project, "jobs", "lst")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("Did you mean: jobs list?");
        assertThat(client(project, "deploy", "push", dir.toString(), "--slug=empty")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("has no index.html");
        assertThat(client(project, "render", "--html", dir.resolve("missing.html").toString())).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("missing.html: no such file");
        assertThat(client(project, "render", "--html", Files.writeString(dir.resolve("t.html"), "<p>x</p>")
                .toString(), "--payload", Files.writeString(dir.resolve("bad.json"), "{oops").toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(err()).contains("--payload is not JSON");
        assertThat(run(Map.of(), "bogus")).isEqualTo(Cli.USAGE);
        assertThat(run(Map.of(), "jobs")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("Missing required subcommand");
        assertThat(served).hasValue(0);
    }

    @Test
    void healthExitsByReadiness() throws Exception {
        // the management interface, on its own port; the API's port does not serve health
        assertThat(run(Map.of(), "health", "--url", Management.url(""))).isZero();
        assertThat(out()).contains("\"status\": \"UP\"");
        assertThat(run(Map.of("QUARKUS_MANAGEMENT_PORT", Integer.toString(URI.create(Management.url("")).getPort())),
                "health")).isZero();
        assertThat(run(Map.of(), "health", "--url", api())).isEqualTo(Cli.FAILED);

        HttpServer down = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        down.createContext("/q/health/ready", exchange -> {
            byte[] body = "{\"status\": \"DOWN\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        down.start();
        try {
            assertThat(run(Map.of(), "health", "--url=http://127.0.0.1:" + down.getAddress().getPort()))
                    .isEqualTo(Cli.FAILED);
            assertThat(err()).contains("DOWN");
        } finally {
            down.stop(0);
        }
        assertThat(run(Map.of(), "health", "--url", "http://127.0.0.1:" + closedPort())).isEqualTo(Cli.UNREACHABLE);
        assertThat(err()).contains("does not answer");
    }

    @Test
    void deployPushThenRenderThenTheJobCommands() throws Exception {
        TestProject project = Api.newProject();
        Path template = Files.createDirectories(dir.resolve("invoice"));
        Files.writeString(template.resolve("index.html"), "<html><head><link rel=\"stylesheet\" href=\"css/style.css\">"
                + "</head><body><h1>Invoice {{number}}</h1></body></html>");
        Files.writeString(Files.createDirectories(template.resolve("css")).resolve("style.css"),
                "h1::after { content: ' (styled)'; }");
        Files.writeString(Files.createDirectories(template.resolve(".git")).resolve("config"), "[core]");
        Files.writeString(template.resolve(".DS_Store"), "junk");

        // --api and --token given, nothing in the environment; the deploy does not exist yet
        assertThat(run(Map.of(), "deploy", "push", template.toString(), "--slug=cli-invoice", "--name", "CLI invoice",
                "--api=" + api(), "--token", project.key())).as(err()).isZero();
        String deployId = project.call().get("/v1/deploys/cli-invoice").then().statusCode(200)
                .extract().path("id");
        String v1 = project.call().get("/v1/deploys/cli-invoice").then().extract().path("latestVersionId");
        assertThat(out()).contains(deployId + " created (cli-invoice)",
                v1 + " published: version 1 of " + deployId + ", 2 files");
        assertThat(project.call().get("/v1/deploys/" + deployId + "/versions/latest").then().extract().jsonPath()
                .<String> getList("files.path")).containsExactlyInAnyOrder("index.html", "css/style.css");
        assertThat(project.call().get("/v1/deploys/" + deployId).then().extract().<String> path("name"))
                .isEqualTo("CLI invoice");

        Path payload = Files.writeString(dir.resolve("data.json"), "{\"number\": \"CLI-7\"}");
        Path pdf = dir.resolve("invoice.pdf");
        assertThat(client(project, "render", "--deploy", "cli-invoice", "--payload", payload.toString(),
                "--business-key=cli-flow", "--out", pdf.toString())).as(err()).isZero();
        String jobId = out().lines().findFirst().orElseThrow().split(" ")[0];
        assertThat(jobId).startsWith("rj_");
        assertThat(out()).contains(jobId + " succeeded: ", "bytes written to " + pdf);
        // the stylesheet came along in the zip made from the directory
        assertThat(Pdfs.read(Files.readAllBytes(pdf)).text()).contains("Invoice CLI-7 (styled)");

        assertThat(client(project, "jobs", "get", jobId)).isZero();
        JsonNode detail = JSON.readTree(out());
        assertThat(detail.at("/job/status").asText()).isEqualTo("succeeded");
        assertThat(detail.at("/job/deployVersionId").asText()).isEqualTo(v1);
        assertThat(detail.at("/job/businessKey").asText()).isEqualTo("cli-flow");

        assertThat(client(project, "jobs", "list", "--deploy", deployId, "--status=succeeded", "--limit", "5"))
                .isZero();
        JsonNode page = JSON.readTree(out());
        assertThat(page.path("data")).hasSize(1);
        assertThat(page.at("/data/0/id").asText()).isEqualTo(jobId);
        assertThat(client(project, "jobs", "list", "--business-key", "someone-else")).isZero();
        assertThat(JSON.readTree(out()).path("data")).isEmpty();

        assertThat(client(project, "jobs", "wait", jobId)).isZero();
        assertThat(out()).isEqualTo(jobId + " succeeded\n");
    }

    @Test
    void deployPushesAndRollbacks() throws Exception {
        TestProject project = Api.newProject();
        Path template = Files.createDirectories(dir.resolve("letter"));
        Files.writeString(template.resolve("index.html"), "<p>one</p>");
        assertThat(client(project, "deploy", "push", template.toString(), "--slug", "letter")).as(err()).isZero();
        String deployId = project.call().get("/v1/deploys/letter").then().extract().path("id");
        String v1 = latest(project, deployId);

        // the slug exists now: a second version of the same deploy
        Files.writeString(template.resolve("index.html"), "<p>two</p>");
        assertThat(client(project, "deploy", "push", template.toString(), "--slug", "letter")).as(err()).isZero();
        String v2 = latest(project, deployId);
        assertThat(out()).doesNotContain("created").contains(v2 + " published: version 2 of " + deployId);

        // a zip bundle to a deploy named by id
        Path zip = dir.resolve("letter.zip");
        try (ZipOutputStream stream = new ZipOutputStream(Files.newOutputStream(zip))) {
            stream.putNextEntry(new ZipEntry("index.html"));
            stream.write("<p>three</p>".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(client(project, "deploy", "push", zip.toString(), "--deploy", deployId)).as(err()).isZero();
        String v3 = latest(project, deployId);
        assertThat(out()).contains(v3 + " published: version 3");
        assertThat(List.of(v1, v2, v3)).doesNotHaveDuplicates();

        assertThat(client(project, "deploy", "rollback", "letter")).as(err()).isZero();
        assertThat(latest(project, deployId)).isEqualTo(v2);
        assertThat(out()).isEqualTo("letter: latest is now " + v2 + " (version 2), was " + v3 + " (version 3)\n");
        assertThat(client(project, "deploy", "rollback", deployId)).isZero();
        assertThat(latest(project, deployId)).isEqualTo(v1);
        assertThat(client(project, "deploy", "rollback", "letter")).isEqualTo(Cli.FAILED);
        assertThat(err()).contains("no version before version 1");
        assertThat(latest(project, deployId)).isEqualTo(v1);
        assertThat(client(project, "deploy", "rollback", "letter", "--to=" + v3)).isZero();
        assertThat(latest(project, deployId)).isEqualTo(v3);

        assertThat(client(project, "deploy", "rollback", "no-such-deploy")).isEqualTo(Cli.API_ERROR);
        assertThat(err()).contains("404 not_found");
        assertThat(client(project, "deploy", "push", template.toString(), "--deploy", "no-such-deploy"))
                .isEqualTo(Cli.API_ERROR);
        assertThat(client(project, "deploy", "push", template.toString(), "--slug", "Not A Slug"))
                .isEqualTo(Cli.API_ERROR);
        assertThat(err()).contains("400", "slug");
    }

    private static String latest(TestProject project, String deployId) {
        return project.call().get("/v1/deploys/" + deployId).then().statusCode(200).extract().path("latestVersionId");
    }

    @Test
    void waitTimesOutThenCancelThenWaitSeesTheCancel() throws Exception {
        TestProject project = Api.newProject();
        String slow = project.call().body(Map.of("html", "<p>slow</p>", "options", Map.of("waitDelayMs", 20000)))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");

        long start = System.nanoTime();
        assertThat(client(project, "jobs", "wait", slow, "--timeout", "1")).isEqualTo(Cli.TIMEOUT);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(1000L, 10_000L);
        assertThat(err()).contains(slow + " is still ", "pressroom jobs wait " + slow);

        assertThat(client(project, "jobs", "cancel", slow)).as(err()).isZero();
        assertThat(out()).isEqualTo(slow + " cancelled\n");
        assertThat(client(project, "jobs", "wait", slow)).isEqualTo(Cli.FAILED);
        assertThat(err()).contains(slow + " cancelled");
        assertThat(client(project, "jobs", "cancel", slow)).isEqualTo(Cli.API_ERROR);
        assertThat(err()).contains("409 job_not_cancellable");
    }

    @Test
    void apiErrorsExitThreeWithTheDetailAndNoAnswerExitsFour() throws Exception {
        TestProject project = Api.newProject();
        assertThat(client(project, "jobs", "get", "rj_doesnotexist")).isEqualTo(Cli.API_ERROR);
        assertThat(err()).contains("the API answered 404 not_found: ", "does not exist");
        assertThat(out()).isEmpty();
        // another project's job is as absent as one that never existed
        String other = Api.newProject().call().body(Map.of("html", "<p>x</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        assertThat(client(project, "jobs", "get", other)).isEqualTo(Cli.API_ERROR);
        assertThat(err()).contains("404");

        Map<String, String> wrongKey = new HashMap<>(Map.of("PRESSROOM_API", api(), "PRESSROOM_TOKEN", "prk_wrong"));
        assertThat(run(wrongKey, "jobs", "list")).isEqualTo(Cli.API_ERROR);
        assertThat(err()).contains("401");
        // the option wins over the environment
        assertThat(run(wrongKey, "jobs", "list", "--token", project.key())).isZero();

        assertThat(client(project, "jobs", "list", "--api", "http://127.0.0.1:" + closedPort()))
                .isEqualTo(Cli.UNREACHABLE);
        assertThat(err()).contains("cannot reach the API");
    }

    @Test
    void renderCreatesWaitsAndWritesThePdf() throws Exception {
        TestProject project = Api.newProject();
        Path template = Files.writeString(dir.resolve("invoice.html"), "<h1>Invoice {{number}}</h1>");
        Path payload = Files.writeString(dir.resolve("data.json"), "{\"number\": \"CLI-42\"}");
        Path pdf = dir.resolve("out.pdf");

        int status = client(project, "render", "--html=" + template, "--payload", payload.toString(), "--out", pdf
                .toString());

        assertThat(status).as(err()).isZero();
        assertThat(Pdfs.read(Files.readAllBytes(pdf)).text()).contains("Invoice CLI-42");
        assertThat(out()).contains("succeeded", "written to " + pdf);
    }

    @Test
    void aFailedJobExitsOneAndNamesTheError() throws Exception {
        TestProject project = Api.newProject();
        Path template = Files.writeString(dir.resolve("broken.html"), "<p>{{> missing}}</p>");

        int status = client(project, "render", "--html", template.toString(), "--out", dir.resolve("never.pdf")
                .toString());

        assertThat(status).isEqualTo(Cli.FAILED);
        assertThat(err()).contains("failed: template_error");
        assertThat(dir.resolve("never.pdf")).doesNotExist();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
