package io.pressroom.cli;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "render", description = "Create a render job, wait for it and write its PDF.")
final class RenderCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @ArgGroup(multiplicity = "1")
    Template template;

    static final class Template {
        @Option(names = "--deploy", paramLabel = "ID|SLUG", description = "The deploy (template) to render.")
        String deploy;

        @Option(names = "--html", paramLabel = "FILE", description = "A one-off template instead of a deploy.")
        Path html;
    }

    @Option(names = "--deploy-version", paramLabel = "VERSION", description = "A version of the deploy (dv_…); default: latest.")
    String version;

    @Option(names = "--payload", paramLabel = "FILE|-", description = "The JSON data; - reads stdin.")
    String payload;

    @Option(names = "--business-key", paramLabel = "KEY", description = "Your own reference, stored with the job.")
    String businessKey;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Default: a random one, so a retried request never renders twice.")
    String idempotencyKey;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the PDF (default: the job's file name).")
    Path out;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "How long to wait for the job (default: ${DEFAULT-VALUE}).")
    long timeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
        long deadline = JobsCommand.deadline(api, timeout);
        ApiClient client = api.client();
        Map<String, Object> request = new LinkedHashMap<>();
        if (template.deploy != null) {
            request.put("deployId", template.deploy);
            request.put("deployVersionId", version == null ? "latest" : version);
        } else if (version != null) {
            throw api.usage("--deploy-version goes with --deploy");
        } else {
            request.put("html", Files.readString(template.html));
        }
        if (payload != null) {
            byte[] data = payload.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(payload));
            try {
                request.put("payload", client.json.readTree(data));
            } catch (JsonProcessingException e) {
                throw api.usage("--payload is not JSON: " + e.getOriginalMessage());
            }
        }
        if (businessKey != null) {
            request.put("businessKey", businessKey);
        }
        // a retried command (after a network error, say) must not render twice
        String key = idempotencyKey != null ? idempotencyKey : "cli-" + UUID.randomUUID();
        JsonNode job = client.post("/v1/render-jobs?wait=" + Math.min(timeout, 15), request, "Idempotency-Key", key)
                .path("job");
        String jobId = job.path("id").asText();
        api.out().println(jobId + " " + job.path("status").asText());

        JobsCommand.succeeded(JobsCommand.await(client, job, deadline));
        HttpResponse<byte[]> pdf = client.download("/v1/render-jobs/" + ApiClient.encode(jobId) + "/output");
        Path target = out != null ? out : Path.of(fileName(pdf));
        Files.write(target, pdf.body());
        api.out().println(jobId + " succeeded: " + pdf.body().length + " bytes written to " + target);
        return Cli.OK;
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
}
