package io.pressroom.template;

import java.time.Duration;

/**
 * What one template merge may use: a deadline ({@link System#nanoTime()}) and the most characters it may write.
 * {@link #check} is called on every write and every value lookup of the merge.
 */
public record MergeBudget(long deadlineNanos, long maxChars) {

    /** No deadline and no size limit (compile checks and tests). */
    public static final MergeBudget UNLIMITED = new MergeBudget(Long.MAX_VALUE, Long.MAX_VALUE);

    /** A budget that starts now. */
    public static MergeBudget of(Duration timeout, long maxChars) {
        return new MergeBudget(System.nanoTime() + timeout.toNanos(), maxChars);
    }

    /** Throws {@link Exceeded} when the merge is past its deadline, interrupted, or at {@code chars} over its size. */
    void check(long chars) {
        if (chars > maxChars) {
            throw new Exceeded("the merged HTML is larger than " + maxChars + " characters");
        }
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            throw new Exceeded("the template merge took longer than the render budget");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new Exceeded("the template merge was stopped");
        }
    }

    /** Thrown from inside Handlebars; the engine turns it into a TemplateException. */
    static final class Exceeded extends RuntimeException {
        Exceeded(String message) {
            super(message, null, false, false);
        }
    }
}
