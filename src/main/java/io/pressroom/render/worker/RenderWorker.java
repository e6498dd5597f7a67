package io.pressroom.render.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.pressroom.common.DeadLetters;
import io.pressroom.common.JobLogContext;
import io.pressroom.common.JobSpans;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.ErrorCode;
import io.pressroom.contract.RenderCommand;
import io.pressroom.contract.RenderControl;
import io.pressroom.contract.RenderEvent;
import io.pressroom.contract.Topics;
import io.pressroom.render.browser.BrowserPool;
import io.pressroom.render.browser.RenderFailure;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Renderer role: consumes render commands on the bounded {@code render-pool} (platform threads, sized by
 * {@code pressroom.chromium.concurrency}); the Kafka consumer pauses while the pool is busy. For each command it
 * reports {@code rendering}, renders, and reports {@code succeeded} or {@code failed}; the offset is committed
 * after that. While it renders it reports {@code rendering} again every {@code pressroom.chromium.heartbeat-interval}:
 * that renews the job's lease, so the API re-drives a job whose renderer died within
 * {@code pressroom.jobs.rendering-lease}, whether or not its command is delivered again. Unreadable and invalid
 * commands go to the dead-letter topic ({@link DeadLetters}); nothing here stops the consumer.
 * <p>
 * Metrics: {@code pressroom.render.commands} by {@code outcome} ({@code succeeded}, {@code failed}, {@code cancelled}:
 * stopped while rendering, {@code skipped}: cancelled before its turn, never rendered, {@code duplicate}: an attempt
 * this renderer already finished, delivered again; its outcome is published again, nothing is rendered, {@code stale}:
 * a command of an attempt older than one this renderer already saw for the job, never rendered) and
 * {@code pressroom.render.cancels} (cancel messages read) by {@code stopped} (whether a render was stopped here);
 * histograms {@code pressroom.render.duration} by {@code outcome} and {@code pressroom.render.queue.wait}.
 */
@ApplicationScoped
public class RenderWorker {

    private static final Logger LOG = Logger.getLogger(RenderWorker.class);
    /** What the outcomes of finished attempts may hold, all together. */
    static final long FINISHED_BYTES = 32L * 1024 * 1024;

    private final RenderExecutor executor;
    private final EventPublisher events;
    private final BrowserPool browsers;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final DeadLetters deadLetters;
    private final Duration drainTimeout;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The {@code rendering} event of each render in flight and its trace, reported again by {@link #heartbeats}. */
    private final Map<String, InFlight> rendering = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "render-heartbeats");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean draining;
    private final CountDownLatch drained = new CountDownLatch(1);
    /** The newest attempt seen per job, so that a command of an earlier attempt, delivered late, is skipped. */
    private final Cache<String, Integer> newestAttempt = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofHours(1)).build();
    /**
     * Outcomes of recently finished attempts (job#attempt), so that a command delivered again is not rendered again;
     * bounded by what they hold, since a render report can carry long console errors.
     */
    private final Cache<String, RenderEvent> finished = Caffeine.newBuilder().maximumWeight(FINISHED_BYTES)
            .weigher((String attempt, RenderEvent outcome) -> weight(outcome))
            .expireAfterWrite(Duration.ofHours(1)).build();

    private final Tracer tracer;

    /** A render in flight: its {@code rendering} report, and the trace (the render span) its reports continue. */
    private record InFlight(RenderEvent event, Context trace) {
    }

    public RenderWorker(RenderExecutor executor, EventPublisher events, BrowserPool browsers, ObjectMapper json,
            MeterRegistry metrics, DeadLetters deadLetters, PressroomConfig config, Tracer tracer) {
        this.tracer = tracer;
        this.deadLetters = deadLetters;
        this.drainTimeout = config.chromium().drainTimeout();
        this.executor = executor;
        this.browsers = browsers;
        this.events = events;
        this.json = json;
        this.metrics = metrics;
        long every = config.chromium().heartbeatInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::reportRendering, every, every, TimeUnit.MILLISECONDS);
    }

    /** Reports each render in flight again (waiting for the broker as long as it takes, never twice at once). */
    private void reportRendering() {
        try {
            for (InFlight render : rendering.values()) {
                try (Scope scope = render.trace().makeCurrent();
                        JobLogContext log = JobLogContext.of(render.event().jobId(), render.event().projectId(),
                                render.event().attempt())) {
                    events.publish(render.event());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not report the renders in flight: %s", e.getMessage());
        }
    }

    /**
     * One command. {@code tracing} is the consumer span SmallRye's Kafka tracing made from the record's
     * {@code traceparent} header (the API's outbox relay wrote it): the render span is its child, so the job's trace
     * goes on from the client's request through Kafka to here, and back with the events.
     */
    @Incoming("render-commands-in")
    @Blocking(value = "render-pool", ordered = false)
    public void onCommand(String message, Optional<TracingMetadata> tracing) {
        handle(message, tracing);
    }

    /**
     * One template preview's command, from the preview queue's own topic: it runs on the {@code preview-pool}
     * (sized by {@code pressroom.chromium.preview-concurrency}) and on the pages the browser keeps for previews, so
     * a preview waits neither behind the jobs' backlog in Kafka nor for a job's render to free a page.
     */
    @Incoming("render-previews-in")
    @Blocking(value = "preview-pool", ordered = false)
    public void onPreview(String message, Optional<TracingMetadata> tracing) {
        handle(message, tracing);
    }

    private void handle(String message, Optional<TracingMetadata> tracing) {
        if (draining) {
            awaitDrained();
            // not started: its nack leaves it unacknowledged (DrainAwareFailure), so it is delivered again after
            // the restart or to another renderer
            throw new IllegalStateException("shutting down: the command was not started");
        }
        RenderCommand command = parse(message);
        if (command == null) {
            return;
        }
        inFlight.incrementAndGet();
        Span span = JobSpans.start(tracer, "render", tracing, command.jobId(), command.projectId(), command.attempt());
        try (Scope scope = span.makeCurrent();
                JobLogContext log = JobLogContext.of(command.jobId(), command.projectId(), command.attempt())) {
            render(command, span);
        } finally {
            span.end();
            inFlight.decrementAndGet();
        }
    }

    /**
     * Graceful drain, at the start of shutdown (before Chromium and the Kafka clients close): no new command is
     * started, and the commands in flight get up to {@code pressroom.chromium.drain-timeout} to finish, upload and
     * publish their outcome, so a rolling update or a scale-down costs no render attempt.
     */
    void drain(@Observes @Priority(1) ShutdownEvent event) {
        draining = true;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        if (inFlight.get() > 0) {
            LOG.infof("Draining: waiting up to %d s for %d render(s) in flight", drainTimeout.toSeconds(),
                    inFlight.get());
        }
        try {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inFlight.get() > 0) {
            LOG.warnf("Drain time is up with %d render(s) in flight; they will be re-driven", inFlight.get());
        }
        heartbeats.shutdownNow();
        drained.countDown();
    }

    /**
     * Holds a command delivered during the drain until the renders in flight are done, so that it is not refused
     * while they still need the consumer.
     */
    private void awaitDrained() {
        try {
            drained.await(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void render(RenderCommand command, Span span) {
        long received = System.currentTimeMillis();
        if (browsers.cancelled(command.jobId())) {
            // cancelled before its turn came: no render at all
            events.publish(RenderEvent.failed(command, received, ErrorCode.CANCELLED, "the job was cancelled",
                    false));
            count("skipped");
            return;
        }
        int newest = newestAttempt.asMap().merge(command.jobId(), command.attempt(), Math::max);
        if (newest > command.attempt()) {
            // the job moved on to a later attempt (this one was given up as lost): its outcome would be ignored
            LOG.infof("Skipping %s attempt %d: attempt %d was already sent", command.jobId(), command.attempt(),
                    newest);
            count("stale");
            return;
        }
        RenderEvent earlier = finished.getIfPresent(attemptOf(command));
        if (earlier != null) {
            // delivered again (an offset not committed before a rebalance or a restart): tell the outcome again,
            // never render twice; the API ignores a repeated event
            events.publish(earlier);
            count("duplicate");
            return;
        }
        RenderEvent started = RenderEvent.rendering(command, received);
        events.send(started); // the outcome, published after it on the same key, is the one waited for
        rendering.put(attemptOf(command), new InFlight(started, Context.current()));
        Map<String, Long> timings = RenderExecutor.newTimings();
        timings.put("queueWait", Math.max(0, received - command.requestedAt()));
        long start = System.nanoTime();
        RenderEvent outcome;
        String counted = "succeeded";
        try {
            RenderEvent.Output output = executor.execute(command, timings);
            timings.put("total", RenderExecutor.millisSince(start));
            outcome = RenderEvent.succeeded(command, System.currentTimeMillis(), output, timings);
            span.setAttribute(JobSpans.PAGES, (long) output.pageCount());
            LOG.debugf("Rendered %s attempt %d in %d ms", command.jobId(), command.attempt(), timings.get("total"));
        } catch (RenderFailure problem) {
            // a cancel is no fault: its cause is only the interrupted wait
            LOG.infof(problem.code() == ErrorCode.CANCELLED ? null : problem.getCause(),
                    "Render of %s attempt %d failed: %s (%s)", command.jobId(), command.attempt(), problem.code(),
                    problem.getMessage());
            outcome = RenderEvent.failed(command, System.currentTimeMillis(), problem.code(), problem.getMessage(),
                    problem.retryable());
            counted = problem.code() == ErrorCode.CANCELLED ? "cancelled" : "failed";
            span.setAttribute(JobSpans.ERROR_CODE, problem.code().code());
            if (problem.code() != ErrorCode.CANCELLED) {
                span.setStatus(StatusCode.ERROR, problem.code().code());
            }
        } catch (RuntimeException | OutOfMemoryError unexpected) {
            // out of memory too: what the render allocated is garbage once it is left, and its attempt is answered
            // (and retried) now, not dropped unanswered until the API gives it up as crashed
            LOG.errorf(unexpected, "Render of %s attempt %d failed unexpectedly", command.jobId(), command.attempt());
            outcome = RenderEvent.failed(command, System.currentTimeMillis(), ErrorCode.INTERNAL_ERROR,
                    unexpected instanceof OutOfMemoryError ? "the renderer ran out of memory"
                            : "the render failed unexpectedly",
                    true);
            counted = "failed";
            span.setStatus(StatusCode.ERROR, ErrorCode.INTERNAL_ERROR.code());
            span.recordException(unexpected);
        } finally {
            rendering.remove(attemptOf(command));
        }
        events.publish(outcome);
        finished.put(attemptOf(command), outcome);
        count(counted);
        Timer.builder("pressroom.render.duration").description("A render command, from its start to its outcome")
                .tag("outcome", counted).publishPercentileHistogram().register(metrics)
                .record(Duration.ofMillis(RenderExecutor.millisSince(start)));
        Timer.builder("pressroom.render.queue.wait").description("From the job's request to its render's start")
                .publishPercentileHistogram().register(metrics).record(Duration.ofMillis(timings.get("queueWait")));
    }

    /** About how many bytes an outcome holds: a small fixed part, and its report's lists. */
    static int weight(RenderEvent outcome) {
        long weight = 1_024;
        if (outcome.output() != null && outcome.output().report() != null) {
            for (Object value : outcome.output().report().values()) {
                if (value instanceof Collection<?> items) {
                    for (Object item : items) {
                        weight += String.valueOf(item).length();
                    }
                }
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, weight);
    }

    private static String attemptOf(RenderCommand command) {
        return command.jobId() + "#" + command.attempt();
    }

    private void count(String outcome) {
        metrics.counter("pressroom.render.commands", "outcome", outcome).increment();
    }

    /** Control messages reach every renderer; a cancel stops the job's render if it runs here. */
    @Incoming("render-control-in")
    public void onControl(String message) {
        RenderControl control;
        try {
            control = json.readValue(message, RenderControl.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Ignoring an unreadable control message: %s", e.getOriginalMessage());
            return;
        }
        if (!control.isCancel()) {
            LOG.warnf("Ignoring a control message of unknown type %s", control.type());
            return;
        }
        boolean stopped = browsers.cancel(control.jobId()); // remembered, so that a queued command is skipped
        if (stopped) {
            LOG.infof("Stopped the render of cancelled job %s", control.jobId());
        }
        metrics.counter("pressroom.render.cancels", "stopped", Boolean.toString(stopped)).increment();
    }

    /**
     * The command, or null when it cannot be rendered as it is: then it is dead-lettered (waiting for the broker as
     * long as it takes) and skipped, and the consumer goes on.
     */
    private RenderCommand parse(String message) {
        RenderCommand command;
        try {
            command = json.readValue(message, RenderCommand.class);
        } catch (JsonProcessingException e) {
            deadLetters.send(Topics.COMMANDS_DLQ, null, message, "unreadable: " + e.getOriginalMessage()).await()
                    .indefinitely();
            return null;
        }
        List<String> problems = command.problems();
        if (!problems.isEmpty()) {
            String reason = "invalid: " + String.join("; ", problems);
            deadLetters.send(Topics.COMMANDS_DLQ, command.jobId(), message, reason).await().indefinitely();
            if (command.jobId() != null && command.projectId() != null && command.attempt() >= 1) {
                // the job would wait for a render that never comes (version skew, a bug): it fails, and says why
                events.publish(RenderEvent.failed(command, System.currentTimeMillis(), ErrorCode.INTERNAL_ERROR,
                        "the renderer could not use the job's render command (" + reason + ")", false));
            }
            return null;
        }
        return command;
    }
}
