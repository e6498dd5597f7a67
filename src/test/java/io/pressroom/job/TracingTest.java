package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.pressroom.common.JobSpans;
import io.pressroom.job.messaging.RenderEventConsumer;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.LogCapture;
import io.pressroom.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * One trace for one job, over the real stack: the client's request, the outbox relay's publish, Kafka, the render,
 * the renderer's events and the API applying them; and the job's ids and the trace id on the log lines of both roles.
 */
@QuarkusTest
@TestProfile(TracingTest.Traced.class)
class TracingTest {

    /** An endpoint set, spans to memory as they end; JSON logs; the render, event and webhook lines logged. */
    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // tracing on as production turns it on, by an endpoint (config.TracingSwitch); but no OTLP exporter
            // (a deprecated key, and the only one that leaves the CDI exporters, ours, in place): nothing is sent
            return Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:4317",
                    "quarkus.otel.simple", "true",
                    "quarkus.otel.exporter.otlp.enabled", "false",
                    "pressroom.log.json", "true",
                    "quarkus.log.category.\"io.pressroom.render.worker\".level", "DEBUG",
                    "quarkus.log.category.\"io.pressroom.job.messaging\".level", "DEBUG",
                    "quarkus.log.category.\"io.pressroom.webhook.delivery\".level", "DEBUG");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aJobIsOneTraceFromTheRequestThroughKafkaToTheRenderAndBack() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String traceId = String.format("%016x%016x", random.nextLong() | 1, random.nextLong());
        String clientSpan = String.format("%016x", random.nextLong() | 1);
        TestProject project = Api.newProject();
        JsonPath done;
        String jobId;
        List<LogCapture.Line> lines;
        try (LogCapture logs = LogCapture.install(); WebhookReceiver receiver = new WebhookReceiver()) {
            jobId = project.call().header("traceparent", "00-" + traceId + "-" + clientSpan + "-01")
                    .body(Map.of("html", "<h1>Traced</h1>", "webhookUrl", receiver.url("/job")))
                    .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
            done = RenderFlowTest.awaitTerminal(project, jobId);
            String job = jobId;
            await().atMost(Duration.ofSeconds(30)).until(() -> find("apply succeeded", job).isPresent()
                    && logs.lines().stream().anyMatch(line -> line.logger().startsWith("io.pressroom.webhook")
                            && line.message().contains(job)));
            lines = logs.lines();
        }
        assertThat(done.getString("job.status")).as("seed %d", seed).isEqualTo("succeeded");

        Map<String, SpanData> byId = new HashMap<>();
        spans.getFinishedSpanItems().forEach(span -> byId.put(span.getSpanId(), span));
        SpanData post = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.SERVER && span.getTraceId().equals(traceId)
                        && span.getName().startsWith("POST"))
                .findFirst().orElseThrow(() -> new AssertionError("no POST span in trace " + traceId));
        assertThat(post.getParentSpanId()).as("the client's span").isEqualTo(clientSpan);

        SpanData render = find("render", jobId).orElseThrow();
        assertThat(render.getTraceId()).isEqualTo(traceId);
        assertThat(render.getAttributes().get(JobSpans.PROJECT_ID)).isEqualTo(project.id());
        assertThat(render.getAttributes().get(JobSpans.PAGES)).isEqualTo(1L);
        // the render's way back to the request: Kafka's receive and publish, then the outbox row's context
        List<SpanData> upToRequest = ancestors(render, byId);
        assertThat(upToRequest).as("render's ancestors").contains(post);
        List<SpanData> hops = upToRequest.subList(0, upToRequest.indexOf(post));
        assertThat(hops).extracting(SpanData::getKind).containsSubsequence(SpanKind.CONSUMER, SpanKind.PRODUCER);
        assertThat(hops).allSatisfy(hop -> assertThat(hop.getName()).contains("pressroom.render.commands"));
        assertThat(byId.values()).filteredOn(span -> span.getParentSpanId().equals(render.getSpanId()))
                .extracting(SpanData::getName).contains("render.chromium", "render.upload");

        // and the events back: the API applies the outcome under the render, through Kafka again
        SpanData applied = find("apply succeeded", jobId).orElseThrow();
        List<SpanData> upToRender = ancestors(applied, byId);
        assertThat(upToRender).as("applying's ancestors").contains(render);
        assertThat(upToRender.subList(0, upToRender.indexOf(render))).extracting(SpanData::getKind)
                .containsSubsequence(SpanKind.CONSUMER, SpanKind.PRODUCER);

        // every line the renderer and the event applier logged for the job carries its ids and its trace
        List<LogCapture.Line> rendered = lines.stream()
                .filter(line -> line.logger().startsWith("io.pressroom.render.worker")
                        && line.message().contains(jobId))
                .toList();
        List<LogCapture.Line> applying = lines.stream()
                .filter(line -> line.logger().equals(RenderEventConsumer.class.getName()) && line.message().contains(jobId))
                .toList();
        assertThat(rendered).as("renderer lines").isNotEmpty();
        assertThat(applying).as("event applier lines").isNotEmpty();
        List<LogCapture.Line> jobLines = new ArrayList<>(rendered);
        jobLines.addAll(applying);
        assertThat(jobLines).allSatisfy(line -> {
            assertThat(line.mdc()).as(line.message()).containsEntry("jobId", jobId)
                    .containsEntry("projectId", project.id()).containsEntry("traceId", traceId);
        });

        // the webhook's delivery (a background loop, outside the trace) carries the job's ids too
        assertThat(lines).filteredOn(line -> line.logger().startsWith("io.pressroom.webhook")
                && line.message().contains(jobId)).isNotEmpty().allSatisfy(line -> assertThat(line.mdc()).as(line.message())
                        .containsEntry("jobId", jobId).containsEntry("projectId", project.id()));

        // in JSON, as production writes them: the ids are fields of the line's mdc, the role one of the line
        JsonNode json = new ObjectMapper().readTree(LogCapture.console().getFormatter().format(rendered.get(0).record()));
        assertThat(json.path("mdc").path("jobId").asText()).isEqualTo(jobId);
        assertThat(json.path("mdc").path("projectId").asText()).isEqualTo(project.id());
        assertThat(json.path("mdc").path("traceId").asText()).isEqualTo(traceId);
        assertThat(json.path("role").asText()).isEqualTo("all");
        assertThat(json.path("message").asText()).contains(jobId);
    }

    /** The spans above {@code span}, nearest first, as far as they were recorded. */
    private static List<SpanData> ancestors(SpanData span, Map<String, SpanData> byId) {
        List<SpanData> chain = new ArrayList<>();
        for (SpanData parent = byId.get(span.getParentSpanId()); parent != null; parent = byId
                .get(parent.getParentSpanId())) {
            chain.add(parent);
        }
        return chain;
    }

    private Optional<SpanData> find(String name, String jobId) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name) && jobId.equals(span.getAttributes().get(JobSpans.JOB_ID)))
                .findFirst();
    }
}
