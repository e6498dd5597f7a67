package io.pressroom.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.pressroom.common.Background;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.StorageKeys;
import io.pressroom.job.service.JobRetention;
import io.pressroom.retention.RetentionMetrics.Kind;
import io.pressroom.storage.ObjectStorage;
import io.pressroom.storage.ObjectStorage.Listing;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * API role: deletes objects under {@code outputs/} and {@code payloads/} that no row refers to — a render discarded
 * without its clean-up, a payload stored before a create transaction that failed, the report of an output deleted
 * or expired when its own clean-up failed. Only objects older than {@code pressroom.retention.orphan-age} are
 * candidates, so a render or an upload in flight is never taken for an orphan; what a live job stored is kept
 * whatever its age. Listing a bucket is slow and costs requests, so it runs rarely and looks at a bounded number of
 * objects per run, going on where the previous run stopped. Several API pods may run it at once: each decision is
 * taken against one snapshot of the database, and deleting an object twice is harmless.
 */
@ApplicationScoped
public class OrphanSweeper {

    private static final Logger LOG = Logger.getLogger(OrphanSweeper.class);
    private static final List<String> PREFIXES = List.of(StorageKeys.OUTPUTS, StorageKeys.PAYLOADS);
    /** Longest one storage call or query may take before the run gives up (and the next one starts over). */
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(1);

    /** Where the next run starts: a prefix of {@link #PREFIXES} and the last key looked at under it. */
    private record Position(int prefix, String after) {
        static final Position START = new Position(0, null);
    }

    private final ObjectStorage storage;
    private final JobRetention jobs;
    private final RetentionMetrics metrics;
    private final PressroomConfig config;
    private final PressroomConfig.Retention settings;
    private final Background sweeps;
    private volatile Position position = Position.START;

    public OrphanSweeper(ObjectStorage storage, JobRetention jobs, RetentionMetrics metrics, PressroomConfig config,
            Vertx vertx) {
        this.storage = storage;
        this.jobs = jobs;
        this.metrics = metrics;
        this.config = config;
        this.settings = config.retention();
        this.sweeps = new Background(vertx, "Orphan sweep",
                // a run lists up to orphan-scan-limit objects, each call bounded by CALL_TIMEOUT: it may take long
                settings.orphanSweepInterval().isZero() ? CALL_TIMEOUT : settings.orphanSweepInterval(),
                () -> sweep(settings.orphanAge(), settings.orphanScanLimit()).replaceWith(false));
    }

    void start(@Observes StartupEvent event) {
        if (!config.role().runsApi()) {
            return;
        }
        metrics.register();
        if (!settings.orphanSweepInterval().isZero()) {
            sweeps.every(settings.orphanSweepInterval());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        sweeps.stop();
    }

    /**
     * Looks at up to {@code limit} objects, from where the previous run stopped and on from the start after the end
     * of a pass, and deletes those older than {@code minAge} that nothing refers to; completes with how many it
     * deleted. A limit as large as the bucket looks at every object once.
     */
    Uni<Integer> sweep(Duration minAge, int limit) {
        Position from = position;
        return step(from, Instant.now().minus(minAge), Math.max(1, limit), 0, Position.START.equals(from));
    }

    private Uni<Integer> step(Position at, Instant cutoff, int budget, int deleted, boolean fromStart) {
        if (budget <= 0) {
            position = at;
            return Uni.createFrom().item(deleted);
        }
        String prefix = PREFIXES.get(at.prefix());
        return blocking(() -> storage.list(prefix, at.after(), Math.min(budget, ObjectStorage.PAGE)))
                .chain(listing -> {
                    List<String> old = listing.objects().stream()
                            .filter(object -> object.lastModified().isBefore(cutoff))
                            .map(ObjectStorage.Stored::key).toList();
                    Position next = next(at, listing);
                    int left = budget - listing.objects().size();
                    return orphansAmong(old).chain(orphans -> delete(prefix, orphans)).chain(count -> {
                        if (next != null) {
                            return step(next, cutoff, left, deleted + count, fromStart);
                        }
                        // a pass ended: go on from the start once if this run began part-way through one
                        position = Position.START;
                        return fromStart ? Uni.createFrom().item(deleted + count)
                                : step(Position.START, cutoff, left, deleted + count, true);
                    });
                });
    }

    /** After this page: the rest of its prefix, the next prefix, or null at the end of a whole pass. */
    private static Position next(Position at, Listing listing) {
        if (listing.more() && !listing.objects().isEmpty()) {
            return new Position(at.prefix(), listing.objects().get(listing.objects().size() - 1).key());
        }
        return at.prefix() + 1 < PREFIXES.size() ? new Position(at.prefix() + 1, null) : null;
    }

    private Uni<List<String>> orphansAmong(List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return jobs.referenced(keys).ifNoItem().after(CALL_TIMEOUT).fail()
                .map(referenced -> keys.stream().filter(key -> !referenced.contains(key)).toList());
    }

    private Uni<Integer> delete(String prefix, List<String> orphans) {
        if (orphans.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return blocking(() -> {
            storage.deleteAll(orphans);
            return orphans.size();
        }).invoke(count -> {
            LOG.infof("Deleted %d orphaned objects under %s (such as %s)", count, prefix, orphans.get(0));
            metrics.deleted(StorageKeys.PAYLOADS.equals(prefix) ? Kind.payload_objects : Kind.output_objects, count);
        });
    }

    private static <T> Uni<T> blocking(Callable<T> work) {
        return VertxContextSupport.executeBlocking(work).ifNoItem().after(CALL_TIMEOUT).fail();
    }
}
