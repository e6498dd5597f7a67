package io.pressroom.job.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.pressroom.common.Background;
import io.pressroom.config.PressroomConfig;
import io.pressroom.job.service.OutputService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;

/** API role: deletes the outputs of {@code transient} jobs once their time is up; their links stop working. */
@ApplicationScoped
public class OutputExpiry {

    private static final int BATCH = 100;

    private final PressroomConfig config;
    private final Background sweeps;

    public OutputExpiry(OutputService outputs, PressroomConfig config, Vertx vertx) {
        this.config = config;
        this.sweeps = new Background(vertx, "Output expiry", config.database().backgroundRunTimeout(),
                () -> outputs.expireDue(BATCH).map(n -> n == BATCH));
    }

    void start(@Observes StartupEvent event) {
        if (config.role().runsApi()) {
            sweeps.every(config.jobs().expirySweepInterval());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        sweeps.stop();
    }
}
