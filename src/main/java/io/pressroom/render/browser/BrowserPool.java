package io.pressroom.render.browser;

import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.ErrorCode;

/**
 * A supervised, bounded Chromium render engine, after Gotenberg's supervisor: one browser per process, started on
 * first use and replaced after {@code restart-after-renders} renders (a static document counts as a third of one) or
 * as soon as it is found dead or hung; {@code concurrency} pages render at once and further callers wait (the Kafka
 * consumer upstream bounds how many). Blocking: call it from worker threads, never from an event loop.
 * <p>
 * A read/write lock separates renders (readers) from browser replacement (the writer), so a browser is recycled
 * only once its renders are done. The replacement is started first, while renders go on: a recycle after
 * {@code restart-after-renders} starts it on a thread of its own, so no render waits for a browser to start, only,
 * at the swap, for the renders then in progress to end.
 * <p>
 * A watchdog closes the page of a render that runs out of budget; a browser that cannot do that, or any other
 * housekeeping, within {@code cleanup-timeout} is hung and killed. Every DevTools call has a timeout, so no caller
 * waits on a dead or hung browser for longer than its budget.
 */
@ApplicationScoped
public class BrowserPool {

    private static final Logger LOG = Logger.getLogger(BrowserPool.class);
    /** How long a failed render waits for its page's crash event before calling the failure internal. */
    private static final long CRASH_NEWS_MS = 1000;
    /** How often a swap waiting for a dead browser gives up its pages again (a lease may begin as it dies). */
    private static final long SWAP_CHECK_MS = 100;
    /** What a recycled browser's successor renders before it takes over: text, a table and a background. */
    private static final String WARM_UP_HTML = "<!doctype html><html><head><title>warm-up</title><style>"
            + "body{font-family:sans-serif;background:#eee}</style></head><body><h1>Pressroom</h1>"
            + "<table><tr><td>1</td><td>2</td></tr></table></body></html>";

    private final PressroomConfig.Chromium config;
    private final Semaphore permits;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock(true);
    private final ConcurrentLinkedDeque<PageSlot> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final ScheduledThreadPoolExecutor watchdog;
    /** Resets pages after their render, off the caller's path. */
    private final ExecutorService cleanup;
    /** Renders in progress by job id, with how to stop each. */
    private final java.util.Map<String, Runnable> inFlight = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;
    /** Starts browsers; tests slow it down. */
    private final Launcher launcher;
    /** Opens pages; tests hold it in a wait. */
    private final Opener opener;
    /** Pages being opened now, each in the browser it was leased from. */
    private final Set<Opening> openings = ConcurrentHashMap.newKeySet();
    /** Pages rendering now. */
    private final Set<PageSlot> leased = ConcurrentHashMap.newKeySet();
    /**
     * Recently cancelled jobs: a command still queued for one is skipped ({@link #cancelled}), and a render that
     * registers after the cancel (its page was still being opened) stops at once. Cancels reach every renderer, so
     * the entries for other renderers' jobs expire.
     */
    private final Cache<String, Boolean> cancelled = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofHours(1)).build();
    /** One replacement at a time; renders are not held up by it until the swap. */
    private final ReentrantLock replacing = new ReentrantLock();
    /** Starts recycles off the render threads. */
    private final ExecutorService replacer;
    /** The browser whose recycle was last asked for, so that it is asked for once. */
    private final AtomicReference<ChromiumProcess> recycling = new AtomicReference<>();
    private volatile ChromiumProcess chromium;
    private volatile boolean closed;

    @Inject
    public BrowserPool(PressroomConfig config, MeterRegistry metrics) {
        this(config.chromium(), metrics);
    }

    BrowserPool(PressroomConfig.Chromium config, MeterRegistry metrics) {
        this(config, metrics, ChromiumProcess::launch);
    }

    /** How a browser is started. */
    interface Launcher {
        ChromiumProcess launch(PressroomConfig.Chromium config) throws IOException;
    }

    /** How a page is opened in a browser. */
    interface Opener {
        PageSlot open(ChromiumProcess chromium);
    }

    BrowserPool(PressroomConfig.Chromium config, MeterRegistry metrics, Launcher launcher) {
        this(config, metrics, launcher, PageSlot::open);
    }

    BrowserPool(PressroomConfig.Chromium config, MeterRegistry metrics, Launcher launcher, Opener opener) {
        this.config = config;
        this.metrics = metrics;
        this.launcher = launcher;
        this.opener = opener;
        this.replacer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pressroom-chromium-replacer");
            thread.setDaemon(true);
            return thread;
        });
        // previews have pages of their own: the render pool's threads bound the jobs to concurrency, the preview
        // pool's bound previews to preview-concurrency, so neither waits for the other's pages
        this.permits = new Semaphore(pages(), true);
        this.watchdog = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "pressroom-chromium-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        this.watchdog.setRemoveOnCancelPolicy(true); // most deadlines are cancelled long before they are due
        this.cleanup = Executors.newFixedThreadPool(pages(), runnable -> {
            Thread thread = new Thread(runnable, "pressroom-chromium-cleanup");
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("pressroom.chromium.pool.capacity", this, BrowserPool::capacity)
                .description("Pages jobs may render on at once").register(metrics);
        Gauge.builder("pressroom.chromium.pool.busy", this, BrowserPool::busy)
                .description("Pages rendering now").register(metrics);
        Gauge.builder("pressroom.chromium.pool.waiting", permits, Semaphore::getQueueLength)
                .description("Callers waiting for a free page").register(metrics);
    }

    /** Renders one PDF; blocks while all pages are busy, then for at most the request's budget and some grace. */
    public RenderResult render(RenderRequest request) throws RenderFailure {
        long budget = budgetMs(request.options());
        try {
            PrintParameters.check(request.options()); // before taking a page that bad options would only waste
        } catch (IllegalArgumentException e) {
            throw RenderFailure.badOptions(e.getMessage());
        }
        boolean staticDocument = StaticHtml.test(request.html());
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RenderFailure.internal("interrupted while waiting for a free page", e);
        }
        busy.incrementAndGet();
        boolean handedOver = false;
        try {
            PageSlot slot = lease(staticDocument);
            leased.add(slot);
            try {
                // a static document goes into the page the last static one left, on its origin; any other gets a
                // fresh document on an origin of its own
                String reusedHost = staticDocument ? slot.scriptFreeHost() : null;
                String host = reusedHost != null ? reusedHost
                        : "bundle-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                                + ".pressroom.invalid";
                RenderResult result;
                try {
                    result = renderOn(slot, request, host, staticDocument, reusedHost != null, budget);
                } catch (RenderFailure failure) {
                    if (failure.pageIntact()) {
                        handedOver = resetLater(slot, "https://" + host);
                    }
                    throw failure;
                }
                // the caller has its PDF now; the page is made ready for the next render meanwhile, and only then
                // frees its permit (a reset took about 55 ms of every job's latency when it ran here)
                handedOver = resetLater(slot, "https://" + host);
                return result;
            } finally {
                leased.remove(slot);
                lifecycle.readLock().unlock();
            }
        } finally {
            if (!handedOver) {
                busy.decrementAndGet();
                permits.release();
            }
        }
    }

    /** Resets the slot on the clean-up thread, then frees the render's permit; false when that thread is gone. */
    private boolean resetLater(PageSlot slot, String origin) {
        try {
            cleanup.execute(() -> {
                try {
                    if (slot.chromium() == chromium) {
                        release(slot, origin);
                    } else {
                        discard(slot); // its browser was replaced meanwhile
                    }
                } finally {
                    busy.decrementAndGet();
                    permits.release();
                }
            });
            return true;
        } catch (RejectedExecutionException closing) {
            release(slot, origin);
            return false;
        }
    }

    /** Pages jobs may render on at once (previews have {@code preview-concurrency} more of their own). */
    public int capacity() {
        return config.concurrency();
    }

    /** Pages that may render at once: the jobs' and the previews'. */
    private int pages() {
        return config.concurrency() + Math.max(0, config.previewConcurrency());
    }

    /** Pages rendering now. */
    public int busy() {
        return busy.get();
    }

    /**
     * Chromium's product string, starting the browser if needed; throws when it cannot start or does not answer
     * within {@code health-timeout} (then it is killed and replaced on next use).
     */
    public String version() throws RenderFailure {
        long timeout = config.healthTimeout().toMillis();
        ChromiumProcess current = chromium;
        if (current == null || !current.healthy()) {
            replace(current, timeout); // bounded: a recycle may be waiting for long renders
            current = chromium;
        }
        if (current == null) {
            throw RenderFailure.internal("Chromium is being replaced", null);
        }
        try {
            return current.version(timeout);
        } catch (RuntimeException e) {
            current.kill("hang");
            throw RenderFailure.crashed(e);
        }
    }

    @PreDestroy
    void close() {
        closed = true;
        watchdog.shutdownNow();
        cleanup.shutdownNow();
        replacer.shutdown(); // a replacement under way sees closed and closes the browser it started
        ChromiumProcess current = chromium;
        if (current != null) {
            current.close("shutdown");
        }
    }

    /** Pages of {@code browser} ready for the next render, for tests. */
    long readyPages(ChromiumProcess browser) {
        return idle.stream().filter(slot -> slot.chromium() == browser).count();
    }

    /** Pid and profile of the running browser, for tests that kill it. */
    ChromiumProcess chromium() {
        return chromium;
    }

    /**
     * Returns a page of a healthy browser with the read lock held, the render counted against its recycle; the caller
     * unlocks it.
     */
    private PageSlot lease(boolean staticDocument) throws RenderFailure {
        for (int attempt = 1; attempt <= 3; attempt++) {
            ChromiumProcess current = chromium;
            if (current == null || !current.healthy()) {
                replace(current, -1); // nothing to render on until it is replaced
                current = chromium;
            } else if (current.worn(config.restartAfterRenders())) {
                recycleLater(current); // renders go on here meanwhile
            }
            lifecycle.readLock().lock();
            if (current == null || current != chromium || !current.healthy()) {
                lifecycle.readLock().unlock(); // replaced or died meanwhile
                continue;
            }
            current.countRender(staticDocument);
            PageSlot slot;
            while ((slot = idle.poll()) != null) {
                if (slot.chromium() != current) {
                    continue; // made ready on the clean-up thread while its browser was being replaced: gone with it
                }
                if (!slot.broken()) {
                    return slot;
                }
                discard(slot); // its renderer crashed while it was idle
            }
            Opening opening = new Opening(current);
            openings.add(opening);
            try {
                return opener.open(current);
            } catch (RuntimeException e) {
                opening.end(); // before the kill, whose wait for the processes' exit our interrupt would cut short
                lifecycle.readLock().unlock();
                LOG.warnf(e, "Could not open a page in Chromium (pid %d)", current.pid());
                current.giveUp(); // creating a context and a page only fails in a browser that is in trouble
            } finally {
                opening.end();
                openings.remove(opening);
            }
        }
        throw RenderFailure.crashed(new IllegalStateException("no healthy Chromium after 3 attempts"));
    }

    /** Asks the replacer thread to recycle {@code expected}, once per browser. */
    private void recycleLater(ChromiumProcess expected) {
        ChromiumProcess asked = recycling.get();
        if (asked == expected || !recycling.compareAndSet(asked, expected)) {
            return;
        }
        try {
            replacer.execute(() -> {
                try {
                    replace(expected, -1);
                } catch (RenderFailure | RuntimeException e) {
                    recycling.compareAndSet(expected, null); // the next render asks again
                    LOG.warnf(e, "Could not recycle Chromium (pid %d); it goes on rendering", expected.pid());
                }
            });
        } catch (RejectedExecutionException closing) {
            // the pool is closing
        }
    }

    /**
     * Replaces {@code expected} (null: none yet) unless another thread already did: starts the new browser while
     * renders go on, puts it in place once the renders in progress are done (waiting at most {@code waitMs} for
     * them; negative: as long as it takes), then closes the old one.
     */
    private void replace(ChromiumProcess expected, long waitMs) throws RenderFailure {
        ChromiumProcess replaced;
        String reason = null;
        replacing.lock();
        try {
            if (closed) {
                throw RenderFailure.internal("the browser pool is closed", null);
            }
            if (chromium != expected) {
                return;
            }
            long started = System.nanoTime();
            ChromiumProcess launched;
            try {
                launched = launcher.launch(config);
            } catch (IOException e) {
                throw RenderFailure.internal("Chromium could not be started", e);
            }
            launched.onExit(() -> abandon(launched));
            // a fresh browser's first render is slow (6.5 s seen on a busy machine): a small one is made here, so
            // that no job pays for it, when there is a browser to go on rendering meanwhile
            PageSlot warm = expected != null && expected.healthy() ? warmUp(launched) : null;
            long launchedAt = System.nanoTime();
            if (!swap(expected, launched, waitMs)) {
                launched.close(closed ? "shutdown" : "unused");
                return;
            }
            if (warm != null) {
                idle.push(warm);
            }
            replaced = expected;
            if (replaced != null) {
                reason = replaced.healthy() ? "recycle" : replaced.brokenBecause();
                metrics.counter("pressroom.chromium.restarts", "reason", reason).increment();
                LOG.infof("Replaced Chromium (pid %d) after %d renders (%s) by pid %d: started (and warmed up) in "
                        + "%d ms, renders paused %d ms for the swap", replaced.pid(), replaced.renders(), reason,
                        launched.pid(), (launchedAt - started) / 1_000_000, (System.nanoTime() - launchedAt) / 1_000_000);
            }
        } finally {
            replacing.unlock();
        }
        if (replaced != null) {
            replaced.close(reason); // no render uses it any more
        }
    }

    /** A page of {@code launched} that has rendered a small static document and was reset; null if that failed. */
    private PageSlot warmUp(ChromiumProcess launched) {
        PageSlot slot;
        String host = "bundle-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                + ".pressroom.invalid";
        try {
            slot = PageSlot.open(launched);
            RenderRequest request = new RenderRequest("chromium-warm-up", WARM_UP_HTML, java.util.Map.of(),
                    RenderOptions.defaults(config.navigationTimeout().toMillis()));
            renderOn(slot, request, host, StaticHtml.test(WARM_UP_HTML), false,
                    config.navigationTimeout().toMillis()); // a failed render discards its page
        } catch (RenderFailure | RuntimeException e) {
            LOG.infof("Warming up Chromium (pid %d) failed (%s); its first job does it", launched.pid(),
                    e.getMessage());
            return null;
        }
        release(slot, "https://" + host); // ready for the next render, or discarded
        return idle.remove(slot) ? slot : null; // put back once the browser has taken over
    }

    /**
     * Puts {@code launched} in place once no render uses {@code replaced}, the browser before it; false if that took
     * longer than {@code waitMs} (negative: no limit). While it waits for a {@code replaced} that died, its pages are
     * given up again and again ({@link #abandon}): a lease that began after the exit was noticed would otherwise hold
     * the swap, and every render after it.
     */
    private boolean swap(ChromiumProcess replaced, ChromiumProcess launched, long waitMs) throws RenderFailure {
        Future<?> waking = replaced == null ? null : abandonWhileDead(replaced);
        try {
            if (waitMs < 0) {
                lifecycle.writeLock().lock();
            } else if (!lifecycle.writeLock().tryLock(waitMs, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            launched.close("interrupted");
            throw RenderFailure.internal("interrupted while replacing Chromium", e);
        } finally {
            if (waking != null) {
                waking.cancel(false);
            }
        }
        try {
            if (closed) { // close() ran during the launch and did not see this browser
                return false;
            }
            idle.clear();
            chromium = launched;
            return true;
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** Gives up the pages of {@code browser} every {@code SWAP_CHECK_MS} while it is dead, until cancelled. */
    private Future<?> abandonWhileDead(ChromiumProcess browser) {
        try {
            return watchdog.scheduleWithFixedDelay(() -> {
                if (!browser.healthy()) {
                    abandon(browser);
                }
            }, 0, SWAP_CHECK_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            return null; // the pool is closing: the swap finds it closed
        }
    }

    /**
     * Ends every wait on a browser that died: renders fail at once as crashed (and are retried), pages being opened
     * go on in the next browser. Without it a render waited for its navigation's timeout, and a page being opened
     * for jvppeteer's 30 s wait for its target; a closed connection ends neither, and the swap to the replacement
     * waited for both.
     */
    private void abandon(ChromiumProcess browser) {
        openings.stream().filter(opening -> opening.chromium == browser).forEach(Opening::interrupt);
        leased.stream().filter(slot -> slot.chromium() == browser).forEach(PageSlot::lost);
    }

    /**
     * A page being opened by the thread that leased it. {@link #interrupt} ends jvppeteer's waits in it (they give up
     * when their thread is interrupted); {@link #end} clears an interrupt of ours so that it reaches no other wait.
     */
    private static final class Opening {
        private final Thread thread = Thread.currentThread();
        private final ChromiumProcess chromium;
        private boolean ended;
        private boolean interrupted;

        Opening(ChromiumProcess chromium) {
            this.chromium = chromium;
        }

        synchronized void interrupt() {
            if (!ended && !interrupted) {
                interrupted = true;
                thread.interrupt();
            }
        }

        synchronized void end() {
            if (!ended) {
                ended = true;
                if (interrupted) {
                    Thread.interrupted();
                }
            }
        }
    }

    private RenderResult renderOn(PageSlot slot, RenderRequest request, String host, boolean staticDocument,
            boolean inPlace, long budget) throws RenderFailure {
        RenderRun run = new RenderRun(slot, request, host, staticDocument, inPlace, budget,
                config.navigationTimeout().toMillis(), config.maxOutputBytes());
        var deadline = watchdog.schedule(() -> expire(run, slot), budget, TimeUnit.MILLISECONDS);
        inFlight.put(request.jobId(), () -> stop(run, slot));
        if (cancelled(request.jobId())) {
            watchdog.execute(() -> stop(run, slot)); // cancelled while its page was being opened
        }
        try {
            return run.execute();
        } catch (Exception e) {
            RenderFailure failure = classify(e, run, slot);
            if (!failure.pageIntact()) {
                discard(slot); // its state is unknown: a new page is cheaper than a doubt
            }
            if (failure.code() == (ErrorCode.INTERNAL_ERROR)) {
                LOG.warnf(e, "Render of job %s failed", request.jobId());
            } else if (failure.code() == (ErrorCode.RENDER_CRASHED)) {
                LOG.warnf("Render of job %s failed: Chromium crashed (%s)", request.jobId(), e.getMessage());
            }
            throw failure;
        } finally {
            deadline.cancel(false);
            inFlight.remove(request.jobId());
        }
    }

    /**
     * Remembers the job as cancelled and stops its render, if it runs in this process; true when it does. Returns at
     * once (the page is closed on the watchdog thread); the render then fails with {@link RenderFailure#CANCELLED}.
     */
    public boolean cancel(String jobId) {
        // marked first, looked up second, where a render registers first and looks second: one of them sees the
        // other (a render stopped twice stops once)
        cancelled.put(jobId, Boolean.TRUE);
        Runnable stop = inFlight.get(jobId);
        if (stop == null) {
            return false; // not rendering here; a render that registers later stops itself
        }
        watchdog.execute(stop);
        return true;
    }

    /** Whether the job was cancelled recently (within the hour), here or through another renderer's control. */
    public boolean cancelled(String jobId) {
        return cancelled.getIfPresent(jobId) != null;
    }

    private void stop(RenderRun run, PageSlot slot) {
        if (!run.cancel()) {
            return; // finished or timed out first
        }
        LOG.infof("Stopping the render of a cancelled job");
        run.abort();
        try {
            slot.dispose(config.cleanupTimeout().toMillis());
        } catch (RuntimeException e) {
            slot.chromium().kill("hang");
        }
    }

    private RenderFailure classify(Exception e, RenderRun run, PageSlot slot) {
        if (run.spentBy(e) && run.expire()) {
            // the call's timer fired before the watchdog: the budget is spent all the same. Taken as a crash, the
            // page the watchdog closes meanwhile made it one, and the job was retried with the same budget
            LOG.infof("A render exceeded its budget of %d ms in a DevTools call", run.budgetMs());
        }
        if (run.cancelled()) {
            return RenderFailure.cancelled();
        }
        if (run.expired()) {
            return RenderFailure.renderTimeout(run.budgetMs());
        }
        // a page that never loads may be a browser that died under it: that is a crash, and worth a retry
        boolean maybeCrash = !(e instanceof RenderFailure failure)
                || failure.code() == (ErrorCode.NAVIGATION_TIMEOUT);
        if (maybeCrash) {
            try {
                if (!slot.chromium().answers(config.cleanupTimeout().toMillis())
                        || slot.brokenWithin(CRASH_NEWS_MS)) {
                    return RenderFailure.crashed(e); // the whole browser or the page died under the render
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return e instanceof RenderFailure failure ? failure : RenderFailure.internal("the render failed", e);
    }

    /**
     * Budget spent: close the page under the render, which stops its renderer (a {@code while(true)} included) and
     * fails the render's pending call; a browser that cannot even do that within {@code cleanup-timeout} is hung.
     */
    private void expire(RenderRun run, PageSlot slot) {
        if (!run.expire()) {
            return; // it finished just in time
        }
        LOG.infof("A render exceeded its budget of %d ms; closing its page", run.budgetMs());
        run.abort();
        try {
            slot.dispose(config.cleanupTimeout().toMillis());
        } catch (RuntimeException e) {
            LOG.warnf("Chromium (pid %d) did not close a timed-out page (%s); killing it", slot.chromium().pid(),
                    e.getMessage());
            slot.chromium().kill("hang");
        }
    }

    /** Back to the idle pages, or thrown away when it cannot be cleaned. */
    private void release(PageSlot slot, String origin) {
        try {
            slot.reset(origin, config.cleanupTimeout().toMillis());
            idle.push(slot);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discard(slot);
        } catch (Exception e) {
            LOG.debugf(e, "Could not reset a page; discarding it");
            discard(slot);
        }
    }

    private void discard(PageSlot slot) {
        ChromiumProcess owner = slot.chromium();
        if (!owner.healthy()) {
            return; // its browser is replaced on next use, pages and all
        }
        try {
            slot.dispose(config.cleanupTimeout().toMillis());
        } catch (RuntimeException e) {
            LOG.warnf("Chromium (pid %d) did not close a page (%s); killing it", owner.pid(), e.getMessage());
            owner.kill("hang");
        }
    }

    private long budgetMs(RenderOptions options) {
        return Math.min(options.renderTimeoutMs(), config.maxRenderTimeout().toMillis());
    }
}
