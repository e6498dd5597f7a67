package io.pressroom.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Pressroom's command-line client, in the service's own binary (SPEC §5): {@code health} for exec probes in images
 * without curl, and {@code render} to create a job, wait for it and download the PDF. It talks to a running API over
 * HTTP with the JDK's client and never starts the service itself. Arguments are parsed here rather than with picocli:
 * Quarkus's picocli extension turns the whole application into a command, and the service must stay one.
 * <p>
 * Exit status: 0 done (healthy, or the job succeeded and its PDF is written); 1 unhealthy, or the API could not be
 * reached or refused the request; 2 the job failed or was cancelled; 3 the job was still running when the timeout
 * passed; 64 wrong usage.
 */
public final class Cli {

    static final int OK = 0;
    static final int ERROR = 1;
    static final int JOB_FAILED = 2;
    static final int STILL_RUNNING = 3;
    static final int USAGE = 64;

    private static final Set<String> COMMANDS = Set.of("health", "render", "help");
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");
    private static final Duration POLL = Duration.ofMillis(500);
    private static final String USAGE_TEXT = """
            Usage:
              pressroom                      start the service (role from pressroom.role)
              pressroom health [--url URL]   exit 0 when the service at URL is ready (default
                                             http://127.0.0.1 on $QUARKUS_HTTP_PORT, else
                                             $PRESSROOM_HTTP_PORT, else 8080)
              pressroom render (--deploy ID_OR_SLUG [--version dv_…] | --html FILE) [--payload FILE|-]
                               [--business-key KEY] [--idempotency-key KEY] [--out FILE] [--timeout SECONDS]
                                             create a job, wait for it, write its PDF (default: the job's file
                                             name); uses $PRESSROOM_API and $PRESSROOM_TOKEN
            Exit status: 0 done, 1 unhealthy or API error, 2 job failed or cancelled, 3 still running at the
            timeout, 64 wrong usage.""";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Cli(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** Whether the arguments name a command; options alone ({@code -Dquarkus.http.host=…}) start the service. */
    public static boolean isCommand(String... args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    public int run(String... args) {
        try {
            Map<String, String> options = options(args);
            switch (args[0]) {
                case "health":
                    return health(options);
                case "render":
                    return render(options);
                default:
                    out.println(USAGE_TEXT);
                    return OK;
            }
        } catch (UsageException e) {
            err.println("pressroom: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        } catch (IOException e) {
            err.println("pressroom: " + e.getMessage());
            return ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ERROR;
        }
    }

    private int health(Map<String, String> options) throws IOException, InterruptedException {
        known(options, "url");
        String port = env.getOrDefault("QUARKUS_HTTP_PORT", env.getOrDefault("PRESSROOM_HTTP_PORT", "8080"));
        String base = options.getOrDefault("url", "http://127.0.0.1:" + port);
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(strip(base) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("pressroom: not ready: " + base + " does not answer (" + e + ")");
            return ERROR;
        }
        (response.statusCode() == 200 ? out : err).println(response.body());
        return response.statusCode() == 200 ? OK : ERROR;
    }

    private int render(Map<String, String> options) throws IOException, InterruptedException {
        known(options, "deploy", "version", "html", "payload", "business-key", "idempotency-key", "out", "timeout");
        if (options.containsKey("deploy") == options.containsKey("html")) {
            throw new UsageException("render needs exactly one of --deploy and --html");
        }
        String api = strip(required(env, "PRESSROOM_API"));
        String token = required(env, "PRESSROOM_TOKEN");
        long timeoutMs = seconds(options.getOrDefault("timeout", "120")) * 1000;

        Map<String, Object> request = new LinkedHashMap<>();
        if (options.containsKey("deploy")) {
            request.put("deployId", options.get("deploy"));
            request.put("deployVersionId", options.getOrDefault("version", "latest"));
        } else {
            request.put("html", Files.readString(Path.of(options.get("html"))));
        }
        if (options.containsKey("payload")) {
            String file = options.get("payload");
            byte[] payload = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            request.put("payload", json.readTree(payload));
        }
        if (options.containsKey("business-key")) {
            request.put("businessKey", options.get("business-key"));
        }
        // a retried command (after a network error, say) must not render twice
        String idempotencyKey = options.getOrDefault("idempotency-key", "cli-" + UUID.randomUUID());

        long deadline = System.currentTimeMillis() + timeoutMs;
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(api + "/v1/render-jobs?wait=15"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(request))).build());
        if (created.statusCode() != 200 && created.statusCode() != 202) {
            return refused(created);
        }
        JsonNode job = json.readTree(created.body()).path("job");
        String jobId = job.path("id").asText();
        out.println(jobId + " " + job.path("status").asText());
        while (!TERMINAL.contains(job.path("status").asText())) {
            if (System.currentTimeMillis() >= deadline) {
                err.println("pressroom: " + jobId + " is still " + job.path("status").asText()
                        + "; follow it with GET " + api + "/v1/render-jobs/" + jobId);
                return STILL_RUNNING;
            }
            Thread.sleep(POLL.toMillis());
            HttpResponse<String> current = send(HttpRequest.newBuilder(URI.create(api + "/v1/render-jobs/" + jobId))
                    .header("Authorization", "Bearer " + token).GET().build());
            if (current.statusCode() != 200) {
                return refused(current);
            }
            job = json.readTree(current.body()).path("job");
        }
        String status = job.path("status").asText();
        if (!status.equals("succeeded")) {
            err.println("pressroom: " + jobId + " " + status
                    + (job.hasNonNull("errorCode") ? ": " + job.path("errorCode").asText() + " ("
                            + job.path("errorMessage").asText() + ")" : ""));
            return JOB_FAILED;
        }
        HttpResponse<byte[]> pdf = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/render-jobs/" + jobId
                + "/output")).header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(2)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (pdf.statusCode() != 200) {
            return refused(new String(pdf.body(), StandardCharsets.UTF_8), pdf.statusCode());
        }
        Path target = Path.of(options.getOrDefault("out", fileName(pdf)));
        Files.write(target, pdf.body());
        out.println(jobId + " succeeded: " + pdf.body().length + " bytes written to " + target);
        return OK;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private int refused(HttpResponse<String> response) {
        return refused(response.body(), response.statusCode());
    }

    private int refused(String body, int status) {
        err.println("pressroom: the API answered " + status + ": " + body);
        return ERROR;
    }

    /** The file name of {@code Content-Disposition}, without any directory a server could slip in. */
    private static String fileName(HttpResponse<?> response) {
        String disposition = response.headers().firstValue("Content-Disposition").orElse("");
        int start = disposition.indexOf("filename=\"");
        String name = start < 0 ? "output.pdf"
                : disposition.substring(start + 10, Math.max(start + 10, disposition.indexOf('"', start + 10)));
        name = Path.of(name.isBlank() ? "output.pdf" : name).getFileName().toString();
        return name.startsWith(".") ? "output.pdf" : name;
    }

    /** {@code --name value} pairs after the command. */
    private static Map<String, String> options(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new UsageException("expected --option value, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static void known(Map<String, String> options, String... names) {
        Set<String> allowed = Set.of(names);
        for (String name : options.keySet()) {
            if (!allowed.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException(name + " is not set (the local run prints it: deploy/local/run.sh)");
        }
        return value;
    }

    private static long seconds(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds < 1) {
                throw new NumberFormatException();
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new UsageException("--timeout must be a whole number of seconds, got '" + value + "'");
        }
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
