package io.pressroom.cli;

import java.io.IOException;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.pressroom.cli.Cli.Failure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jobs list|get|wait|cancel}; get and list print the API's JSON as it came, for jq and scripts. */
@Command(name = "jobs", description = "List, show, wait for and cancel render jobs.")
final class JobsCommand {

    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");
    private static final long POLL_MILLIS = 500;
    private static final String JOB = "The job's id (rj_…).";

    @Command(name = "list", description = "The project's jobs, newest first: the API's JSON ({data, nextCursor}).")
    int list(@Mixin ApiOptions api,
            @Option(names = "--status", paramLabel = "STATUS", description = "queued, rendering, retry_scheduled, succeeded, failed or cancelled.") String status,
            @Option(names = "--deploy", paramLabel = "ID", description = "Only jobs of this deploy (its dpl_… id).") String deploy,
            @Option(names = "--business-key", paramLabel = "KEY", description = "Only jobs with this business key.") String businessKey,
            @Option(names = "--queue", paramLabel = "QUEUE", description = "Only jobs of this queue (default, priority).") String queue,
            @Option(names = "--limit", paramLabel = "N", description = "Page size, 1 to 100 (default 20).") Integer limit,
            @Option(names = "--cursor", paramLabel = "CURSOR", description = "The nextCursor of the previous page.") String cursor)
            throws IOException, InterruptedException {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        String[][] filters = { { "status", status }, { "deployId", deploy }, { "businessKey", businessKey },
                { "queue", queue }, { "limit", limit == null ? null : limit.toString() }, { "cursor", cursor } };
        for (String[] filter : filters) {
            if (filter[1] != null) {
                query.add(filter[0] + "=" + ApiClient.encode(filter[1]));
            }
        }
        api.out().println(api.client().get("/v1/render-jobs" + query));
        return Cli.OK;
    }

    @Command(name = "get", description = "A job with its output and PDF: the API's JSON.")
    int get(@Mixin ApiOptions api, @Parameters(paramLabel = "JOB", description = JOB) String jobId)
            throws IOException, InterruptedException {
        api.out().println(api.client().get(path(jobId)));
        return Cli.OK;
    }

    @Command(name = "wait", description = "Wait until a job ends: exit 0 when it succeeded, 1 when it failed or was cancelled.")
    int waitFor(@Mixin ApiOptions api, @Parameters(paramLabel = "JOB", description = JOB) String jobId,
            @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "How long to wait (default: ${DEFAULT-VALUE}).") long timeout)
            throws IOException, InterruptedException {
        long deadline = deadline(api, timeout);
        ApiClient client = api.client();
        JsonNode job = succeeded(await(client, client.getJson(path(jobId)).path("job"), deadline));
        api.out().println(job.path("id").asText() + " succeeded");
        return Cli.OK;
    }

    @Command(name = "cancel", description = "Cancel a queued or running job (the API answers 409 for one that has ended).")
    int cancel(@Mixin ApiOptions api, @Parameters(paramLabel = "JOB", description = JOB) String jobId)
            throws IOException, InterruptedException {
        api.client().delete(path(jobId));
        api.out().println(jobId + " cancelled");
        return Cli.OK;
    }

    static String path(String jobId) {
        return "/v1/render-jobs/" + ApiClient.encode(jobId);
    }

    /** When a wait of {@code seconds} (a {@code --timeout}) ends, on {@link System#nanoTime()}. */
    static long deadline(ApiOptions api, long seconds) {
        if (seconds < 1) {
            throw api.usage("--timeout must be at least 1 second, got " + seconds);
        }
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    /** Polls {@code job} until it has ended; {@link Cli#TIMEOUT} when it still runs at the deadline. */
    static JsonNode await(ApiClient client, JsonNode job, long deadline) throws IOException, InterruptedException {
        String jobId = job.path("id").asText();
        while (!TERMINAL.contains(job.path("status").asText())) {
            if (System.nanoTime() - deadline >= 0) {
                throw new Failure(Cli.TIMEOUT, jobId + " is still " + job.path("status").asText()
                        + " at the timeout; follow it with: pressroom jobs wait " + jobId);
            }
            Thread.sleep(POLL_MILLIS);
            job = client.getJson(path(jobId)).path("job");
        }
        return job;
    }

    /** {@code job} when it succeeded; else {@link Cli#FAILED}, naming its error. */
    static JsonNode succeeded(JsonNode job) {
        String status = job.path("status").asText();
        if (!status.equals("succeeded")) {
            throw new Failure(Cli.FAILED, job.path("id").asText() + " " + status
                    + (job.hasNonNull("errorCode") ? ": " + job.path("errorCode").asText() + " ("
                            + job.path("errorMessage").asText() + ")" : ""));
        }
        return job;
    }
}
