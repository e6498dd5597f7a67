package io.pressroom.render.worker;

import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.pressroom.contract.ErrorCode;
import io.pressroom.render.browser.RenderFailure;
import io.pressroom.template.TemplateEngine.TemplateException;

/**
 * Object storage calls of one render, tried again while storage is away, for up to the budget the command carries
 * ({@code storageRetryMs}, set by the API from {@code pressroom.storage.retry-for}): a restart of the storage service
 * is not a render fault and must not burn the job's render attempts. Only when the budget is spent does the attempt
 * fail with {@code storage_error} (retryable). A template that does not compile is not a storage fault: it is
 * passed on at once.
 */
final class StorageRetry {

    private static final Logger LOG = Logger.getLogger(StorageRetry.class);
    private static final long FIRST_DELAY_MS = 500;
    private static final long MAX_DELAY_MS = 15_000;

    private StorageRetry() {
    }

    static <T> T call(long budgetMs, String what, Supplier<T> call) throws RenderFailure {
        long deadline = System.nanoTime() + budgetMs * 1_000_000;
        long delay = FIRST_DELAY_MS;
        for (int tries = 1;; tries++) {
            try {
                return call.get();
            } catch (TemplateException e) {
                throw e;
            } catch (RuntimeException e) {
                if (System.nanoTime() + delay * 1_000_000 > deadline) {
                    throw new RenderFailure(ErrorCode.STORAGE_ERROR, true, "could not " + what, e);
                }
                LOG.infof("Object storage: could not %s (try %d: %s); trying again in %d ms", what, tries,
                        e.getMessage(), delay);
                sleep(delay, what);
                delay = Math.min(delay * 2, MAX_DELAY_MS);
            }
        }
    }

    static void run(long budgetMs, String what, Runnable call) throws RenderFailure {
        call(budgetMs, what, () -> {
            call.run();
            return null;
        });
    }

    private static void sleep(long millis, String what) throws RenderFailure {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderFailure(ErrorCode.STORAGE_ERROR, true, "interrupted while waiting to " + what, e);
        }
    }
}
