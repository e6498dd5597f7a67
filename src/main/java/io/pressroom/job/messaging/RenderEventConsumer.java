package io.pressroom.job.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.common.DeadLetters;
import io.pressroom.common.Transient;
import io.pressroom.contract.RenderEvent;
import io.pressroom.contract.Topics;
import io.pressroom.job.service.JobTransitions;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;

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
    private volatile boolean stopping;

    public RenderEventConsumer(JobTransitions transitions, DeadLetters deadLetters, ObjectMapper json) {
        this.transitions = transitions;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Incoming("render-events-in")
    public Uni<Void> onEvent(String message) {
        RenderEvent event;
        try {
            event = json.readValue(message, RenderEvent.class);
        } catch (JsonProcessingException e) {
            return deadLetters.send(Topics.EVENTS_DLQ, null, message, "unreadable: " + e.getOriginalMessage());
        }
        List<String> problems = event.problems();
        if (!problems.isEmpty()) {
            // no retry can make it valid, and it would hold up the events behind it
            return deadLetters.send(Topics.EVENTS_DLQ, event.jobId(), message, "invalid: " + String.join("; ",
                    problems));
        }
        return Uni.createFrom().deferred(() -> transitions.apply(event))
                .onFailure().invoke(failure -> LOG.warnf("Applying %s of %s failed (%s); retrying", event.type(),
                        event.jobId(), failure.getMessage()))
                .onFailure(Transient::is).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                .indefinitely()
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
