package io.pressroom.job.messaging;

import java.time.Duration;

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
 * Unreadable messages go to the dead-letter topic.
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
        if (event.jobId() == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("render event without a job id"));
        }
        return Uni.createFrom().deferred(() -> transitions.apply(event))
                .onFailure().invoke(failure -> LOG.warnf(failure, "Applying %s of %s failed; retrying",
                        event.type(), event.jobId()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }
}
