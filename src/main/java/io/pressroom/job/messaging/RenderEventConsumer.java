package io.pressroom.job.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.pressroom.common.DeadLetters;
import io.pressroom.common.JobLogContext;
import io.pressroom.common.JobSpans;
import io.pressroom.common.Transient;
import io.pressroom.common.UnstorableText;
import io.pressroom.contract.RenderEvent;
import io.pressroom.contract.Topics;
import io.pressroom.job.service.JobTransitions;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;

/**
 * API role: applies renderers' events to jobs. An event is acknowledged (its offset committed) only after its
 * transaction committed, or after it was dead-lettered. While the database is away the event is retried with
 * backoff for as long as it takes (the events behind it wait, which is right: none could be applied either); any
 * other failure gets a few tries, then the event is dead-lettered so it never blocks its partition. Unreadable
 * messages, and events that fail {@link RenderEvent#problems()} (an unknown type or error code, a {@code succeeded}
 * without its output…), are dead-lettered at once. This method never fails, so the consumer never stops.
 */
@ApplicationScoped
public class RenderEventConsumer {

    private static final Logger LOG = Logger.getLogger(RenderEventConsumer.class);
    /** Tries of an event whose failure is not a dependency outage, before it is dead-lettered. */
    static final int TRIES = 5;

    private final JobTransitions transitions;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;
    private final Tracer tracer;
    private volatile boolean stopping;

    public RenderEventConsumer(JobTransitions transitions, DeadLetters deadLetters, ObjectMapper json,
            Tracer tracer) {
        this.tracer = tracer;
        this.transitions = transitions;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    /**
     * One event. {@code tracing} is the consumer span SmallRye's Kafka tracing made from the record's
     * {@code traceparent} (the renderer's render span): applying the event is a span under it, so the job's trace
     * ends here. The job's ids are in the logging MDC while it is applied.
     */
    @Incoming("render-events-in")
    public Uni<Void> onEvent(String message, Optional<TracingMetadata> tracing) {
        RenderEvent event;
        try {
            // what a page logged or threw comes with the event, and PostgreSQL stores no NUL: the job must still end
            event = json.readValue(UnstorableText.replacedInJson(message), RenderEvent.class);
        } catch (JsonProcessingException e) {
            return deadLetters.send(Topics.EVENTS_DLQ, null, message, "unreadable: " + e.getOriginalMessage());
        }
        List<String> problems = event.problems();
        if (!problems.isEmpty()) {
            // no retry can make it valid, and it would hold up the events behind it
            return deadLetters.send(Topics.EVENTS_DLQ, event.jobId(), message, "invalid: " + String.join("; ",
                    problems));
        }
        Span span = JobSpans.start(tracer, "apply " + event.type(), tracing, event.jobId(), event.projectId(),
                event.attempt());
        // the message's own Vert.x context holds the MDC and the current span until the event is done
        JobLogContext log = JobLogContext.of(event.jobId(), event.projectId(), event.attempt());
        Scope scope = span.makeCurrent();
        return apply(event, message).onTermination().invoke(() -> {
            span.end();
            scope.close();
            log.close();
        });
    }

    private Uni<Void> apply(RenderEvent event, String message) {
        return Uni.createFrom().deferred(() -> transitions.apply(event))
                .invoke(() -> LOG.debugf("Applied %s of %s attempt %d", event.type(), event.jobId(), event.attempt()))
                .onFailure().invoke(failure -> LOG.warnf("Applying %s of %s failed (%s); retrying", event.type(),
                        event.jobId(), failure.getMessage()))
                // a dependency away is waited out, except at shutdown: the pool is closing, the event is redelivered
                .onFailure(failure -> !stopping && Transient.is(failure)).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(TRIES - 1)
                .onFailure().recoverWithUni(failure -> stopping
                        // the database closes under us at shutdown: leave the event unacknowledged, so it is
                        // delivered again after the restart, rather than dead-letter a good event
                        ? Uni.createFrom().nothing()
                        : deadLetters.send(Topics.EVENTS_DLQ, event.jobId(), message, "failed " + TRIES + " times: "
                                + failure));
    }

    /** First thing at shutdown, before the database pool closes. */
    void stopping(@Observes @Priority(-1000) ShutdownEvent event) {
        stopping = true;
    }
}
