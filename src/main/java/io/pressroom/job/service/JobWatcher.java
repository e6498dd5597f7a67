package io.pressroom.job.service;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.pressroom.common.Notifications;
import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Tells waiters on this pod that a job changed or ended, whichever pod changed it: every timeline event's insert runs
 * {@code pg_notify('pressroom_jobs', jobId)} in its transaction, and a terminal event also
 * {@code pg_notify('pressroom_job_ended', jobId)} (a trigger, migrations V7 and V21); PostgreSQL delivers them at commit
 * to every pod's {@code LISTEN} ({@link Notifications}). When its connection drops, every waiter is told to look again
 * (a notification may have been missed).
 */
@ApplicationScoped
public class JobWatcher {

    private static final Logger LOG = Logger.getLogger(JobWatcher.class);

    public static final String CHANNEL = "pressroom_jobs";
    public static final String ENDED_CHANNEL = "pressroom_job_ended";

    /** A watcher: what to run when its notification comes, and when one may have been missed. */
    private record Watch(Runnable heard, Runnable lookAgain) {
    }

    private final Map<String, Set<Watch>> changes = new ConcurrentHashMap<>();
    private final Map<String, Set<Watch>> ends = new ConcurrentHashMap<>();
    private final Notifications notifications;

    public JobWatcher(Notifications notifications) {
        this.notifications = notifications;
    }

    void start(@Observes StartupEvent event, PressroomConfig config) {
        if (config.role().runsApi()) {
            notifications.listen(CHANNEL, listener(changes));
            notifications.listen(ENDED_CHANNEL, listener(ends));
        }
    }

    private static Notifications.Listener listener(Map<String, Set<Watch>> watchers) {
        return new Notifications.Listener() {

            @Override
            public void heard(String jobId) {
                tell(watchers.get(jobId), Watch::heard);
            }

            @Override
            public void mayHaveMissed() {
                watchers.values().forEach(set -> tell(set, Watch::lookAgain));
            }
        };
    }

    /** Calls {@code onChange} (on any thread) whenever the job may have changed, until the handle is closed. */
    public AutoCloseable watch(String jobId, Runnable onChange) {
        return add(changes, jobId, new Watch(onChange, onChange));
    }

    /**
     * Calls {@code onEnd} (on any thread) when the job ended, and {@code lookAgain} when it may have ended unheard (the
     * notification connection dropped), until the handle is closed: the job's other events are not told.
     */
    public AutoCloseable watchEnd(String jobId, Runnable onEnd, Runnable lookAgain) {
        return add(ends, jobId, new Watch(onEnd, lookAgain));
    }

    private static AutoCloseable add(Map<String, Set<Watch>> watchers, String jobId, Watch watch) {
        watchers.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(watch);
        return () -> watchers.computeIfPresent(jobId, (id, set) -> {
            set.remove(watch);
            return set.isEmpty() ? null : set;
        });
    }

    public boolean listening() {
        return notifications.listening();
    }

    private static void tell(Set<Watch> watchers, Function<Watch, Runnable> what) {
        if (watchers == null) {
            return;
        }
        for (Watch watch : watchers) {
            try {
                what.apply(watch).run();
            } catch (RuntimeException e) {
                LOG.warn("A job watcher failed", e);
            }
        }
    }
}
