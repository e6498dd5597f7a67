package io.pressroom.job.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.pressroom.common.Background;
import io.pressroom.config.PressroomConfig;
import io.pressroom.job.service.BatchAssembly;
import io.pressroom.job.service.BatchSignal;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;

/**
 * API role: assembles batches whose items have all ended — at once on the pod that ended the last item, and on
 * every pod every {@code pressroom.batches.sweep-interval}, which is what takes over a batch whose assembly died
 * with its pod (after its lease) or never started (the pod died between the commit and the wake-up).
 */
@ApplicationScoped
public class BatchSweeper {

    private final PressroomConfig config;
    private final BatchSignal signal;
    private final Background sweeps;

    public BatchSweeper(BatchAssembly assembly, BatchSignal signal, PressroomConfig config, Vertx vertx) {
        this.config = config;
        this.signal = signal;
        // one batch per run; a run that found one runs again at once
        this.sweeps = new Background(vertx, "Batch assembly", config.batches().assemblyLease(),
                assembly::assembleOne);
    }

    void start(@Observes StartupEvent event) {
        if (config.role().runsApi()) {
            signal.onWake(sweeps::run);
            sweeps.every(config.batches().sweepInterval());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        sweeps.stop();
    }
}
