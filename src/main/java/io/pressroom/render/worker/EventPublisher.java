package io.pressroom.render.worker;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.context.Context;
import io.pressroom.contract.RenderEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Renderer role: publishes render events (key = job id, so one job's events stay in order) and waits for the
 * broker's acknowledgement. A renderer owns no database, so there is no outbox here: if publishing fails, the
 * command is not acknowledged and the API's reaper re-drives the job. Each event carries the trace of the render it
 * reports (SmallRye's Kafka tracing writes it into the record's {@code traceparent} header), so the API's applying
 * of it continues that trace.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    /**
     * After this long without a broker the command fails (the reaper re-drives the job); it matches the command
     * channel's {@code throttled.unprocessed-record-max-age.ms}.
     */
    private static final Duration GIVE_UP = Duration.ofMinutes(10);

    private final MutinyEmitter<String> events;
    private final ObjectMapper json;

    public EventPublisher(@Channel("render-events") MutinyEmitter<String> events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    /**
     * Blocks until the broker acknowledged the event, trying again while it is away: the render is done, and its
     * outcome must not be lost (the command stays unacknowledged meanwhile, so a restart would deliver it again).
     */
    public void publish(RenderEvent event) {
        Message<String> message = message(event);
        sendOnce(message)
                .onFailure().invoke(failure -> LOG.warnf("Could not publish %s of %s yet: %s", event.type(),
                        event.jobId(), failure.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .expireIn(GIVE_UP.toMillis())
                .await().indefinitely();
    }

    /**
     * Sends without waiting for the broker, for a report the renderer repeats anyway ({@code rendering}, renewed
     * by the heartbeat): the render starts a broker round trip sooner. Ordered with every later event of the job
     * (same producer, same key); one that fails is only logged.
     */
    public void send(RenderEvent event) {
        Message<String> message = message(event);
        sendOnce(message)
                .subscribe().with(sent -> {
                }, failure -> LOG.debugf("Could not publish %s of %s: %s", event.type(), event.jobId(),
                        failure.getMessage()));
    }

    /** One send, failed when the broker has not acknowledged it within {@link #ACK_TIMEOUT}. */
    private Uni<Void> sendOnce(Message<String> message) {
        return Uni.createFrom().deferred(() -> events.sendMessage(message)).ifNoItem().after(ACK_TIMEOUT).fail();
    }

    private Message<String> message(RenderEvent event) {
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // the caller's trace (the render span), taken now: SmallRye sends on its own thread, where it is not current
        return Message.of(payload).addMetadata(
                OutgoingKafkaRecordMetadata.<String> builder().withKey(event.jobId()).build())
                .addMetadata(TracingMetadata.withCurrent(Context.current()));
    }
}
