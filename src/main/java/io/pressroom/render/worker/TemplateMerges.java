package io.pressroom.render.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.github.jknack.handlebars.Template;

import io.pressroom.config.PressroomConfig;
import io.pressroom.contract.ErrorCode;
import io.pressroom.render.browser.RenderFailure;
import io.pressroom.template.MergeBudget;
import io.pressroom.template.TemplateEngine;
import io.pressroom.template.TemplateEngine.TemplateException;

/**
 * Template merges under the render budget, on their own threads. A customer's template is code: nested
 * {@code {{#each}}} over a few hundred items runs for days, and it ran on the render thread before the render's
 * watchdog started, so the thread was lost and its command never acknowledged. Here the merge gets the job's render
 * budget and {@code pressroom.templates.max-merged-chars}; the engine stops it at either limit by itself, and the
 * render thread waits no longer than the budget (and a second) in any case, then interrupts it. Either way the job
 * fails with {@code template_error}, not retried: the same template and payload would do the same again.
 */
@ApplicationScoped
public class TemplateMerges {

    private static final long GRACE_MS = 1000;

    private final TemplateEngine engine;
    private final long maxChars;
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService workers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "template-merge-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    public TemplateMerges(TemplateEngine engine, PressroomConfig config) {
        this.engine = engine;
        this.maxChars = config.templates().maxMergedChars();
    }

    /** The merged HTML, or a {@code template_error} failure once the merge goes past {@code budget} or the size cap. */
    public String merge(Template template, Map<String, Object> payload, Duration budget) throws RenderFailure {
        MergeBudget limits = MergeBudget.of(budget, maxChars);
        Future<String> merged = workers.submit(() -> engine.merge(template, payload, limits));
        try {
            return merged.get(budget.toMillis() + GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            merged.cancel(true);
            throw new RenderFailure(ErrorCode.TEMPLATE_ERROR, false,
                    "template merge failed: it took longer than the render budget of " + budget.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause instanceof TemplateException ? cause.getMessage()
                    : cause instanceof OutOfMemoryError ? "it ran out of memory" : String.valueOf(cause);
            throw new RenderFailure(ErrorCode.TEMPLATE_ERROR, false, "template merge failed: " + reason, cause);
        } catch (InterruptedException e) {
            merged.cancel(true);
            Thread.currentThread().interrupt();
            throw new RenderFailure(ErrorCode.CANCELLED, false, "the render was stopped", e);
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
