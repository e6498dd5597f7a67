package io.pressroom.render.worker;

import java.util.function.BiConsumer;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.smallrye.reactive.messaging.kafka.fault.KafkaIgnoreFailure;
import io.vertx.mutiny.core.Vertx;

/**
 * The render commands' failure strategy ({@code failure-strategy=ignore-unless-draining}): SmallRye's {@code ignore}
 * (the failed command is acknowledged and the consumer goes on; {@link RenderWorker} never fails a command it
 * started, so this is only a backstop), except from the start of shutdown on. A command refused then — delivered
 * during the drain, or turned away by the closing worker pool — is left unacknowledged, so the consumer's last commit
 * stops before it and it is delivered again after the restart or to another renderer. SmallRye's {@code ignore}
 * would acknowledge it, and the command would be lost until the reaper's queued deadline.
 */
@ApplicationScoped
@Identifier(DrainAwareFailure.STRATEGY)
public class DrainAwareFailure implements KafkaFailureHandler.Factory {

    static final String STRATEGY = "ignore-unless-draining";
    private static final Logger LOG = Logger.getLogger(DrainAwareFailure.class);

    private volatile boolean shuttingDown;

    /** Before the drain starts ({@link RenderWorker} drains at priority 1). */
    void shuttingDown(@Observes @Priority(0) ShutdownEvent event) {
        shuttingDown = true;
    }

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
            KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaFailureHandler ignore = new KafkaIgnoreFailure(config.getChannel());
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                if (!shuttingDown) {
                    return ignore.handle(record, reason, metadata);
                }
                LOG.debugf("Leaving %s-%d@%d unacknowledged at shutdown: %s", record.getTopic(),
                        record.getPartition(), record.getOffset(), reason.getMessage());
                return Uni.createFrom().voidItem();
            }
        };
    }
}
