package io.pressroom.job.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.contract.RenderEvent;
import io.pressroom.job.service.JobTransitions;
import io.smallrye.mutiny.Uni;

/**
 * API role: applies renderers' events to jobs. An event is acknowledged (its offset committed) only after its
 * transaction committed; while the database is unreachable the event is retried with backoff rather than dropped.
 * Unreadable messages, and events that fail {@link RenderEvent#problems()} (an unknown type or error code, a
 * {@code succeeded} without its output…), go to the dead-letter topic.
 */
@ApplicationScoped
public class RenderEventConsumer {

    private static final Logger LOG = Logger.getLogger(RenderEventConsumer.class);

    private final JobTransitions transitions;
    private final ObjectMapper json;

    public RenderEventConsumer(JobTransitions transitions, ObjectMapper json) {
        this.transitions = transitions;
        this.json = json;
    }

    @Incoming("render-events-in")
    public Uni<Void> onEvent(String message) {
        RenderEvent event;
        try {
            event = json.readValue(message, RenderEvent.class);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable render event", e));
        }
        List<String> problems = event.problems();
        if (!problems.isEmpty()) {
            // refused, not retried: no retry can make it valid, and it would hold up the events behind it
            return Uni.createFrom().failure(new IllegalArgumentException("invalid render event for "
                    + event.jobId() + ": " + String.join("; ", problems)));
        }
        return Uni.createFrom().deferred(() -> transitions.apply(event))
                .onFailure().invoke(failure -> LOG.warnf(failure, "Applying %s of %s failed; retrying",
                        event.type(), event.jobId()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }
}
