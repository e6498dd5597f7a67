package io.pressroom.common;

import java.util.List;

/**
 * A request a service refuses, in the service's own terms: what kind of refusal it is, a stable {@code code} and a
 * sentence for the client that never carries internals. Services throw these; only the REST layer
 * ({@link ProblemMapper}) decides which HTTP status each kind is.
 */
public abstract sealed class Refusal extends RuntimeException
        permits Refusal.Invalid, Refusal.NotFound, Refusal.Conflict, Refusal.TooLarge, Refusal.Busy,
        Refusal.OverQuota, Refusal.Unavailable, Refusal.Gone {

    private final String code;

    protected Refusal(String code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    /** The stable, documented code. */
    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    /** The input is wrong; the detail names the field. */
    public static final class Invalid extends Refusal {
        private final List<Violation> violations;

        public Invalid(String detail) {
            this("invalid_request", detail);
        }

        public Invalid(String code, String detail) {
            this(code, detail, List.of());
        }

        /** A document that breaks its schema: every violation, for the client to fix them all at once. */
        public Invalid(String code, String detail, List<Violation> violations) {
            super(code, detail);
            this.violations = List.copyOf(violations);
        }

        /** Empty unless the input broke a schema. */
        public List<Violation> violations() {
            return violations;
        }
    }

    /** It does not exist, or belongs to another project (never told apart). */
    public static final class NotFound extends Refusal {
        /** @param what e.g. {@code render job rj_…}: "… does not exist" */
        public NotFound(String what) {
            super("not_found", what + " does not exist");
        }

        public NotFound(String code, String detail) {
            super(code, detail);
        }
    }

    /** It exists, but its state does not allow this now. */
    public static final class Conflict extends Refusal {
        public Conflict(String code, String detail) {
            super(code, detail);
        }
    }

    /** The input is larger than a limit allows. */
    public static final class TooLarge extends Refusal {
        public TooLarge(String detail) {
            super("payload_too_large", detail);
        }
    }

    /** The caller has too much going on already (a quota is full); it may try again after a while. */
    public static final class Busy extends Refusal {
        private final long retryAfterSeconds;

        public Busy(String code, String detail, long retryAfterSeconds) {
            super(code, detail);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** The project used up its plan for the period: nothing more until {@code resetsAt} or a larger quota. */
    public static final class OverQuota extends Refusal {
        private final long quota;
        private final long used;
        private final java.time.Instant resetsAt;

        public OverQuota(String code, String detail, long quota, long used, java.time.Instant resetsAt) {
            super(code, detail);
            this.quota = quota;
            this.used = used;
            this.resetsAt = resetsAt;
        }

        public long quota() {
            return quota;
        }

        public long used() {
            return used;
        }

        public java.time.Instant resetsAt() {
            return resetsAt;
        }
    }

    /** It existed and was withdrawn for good (a revoked link). */
    public static final class Gone extends Refusal {
        public Gone(String code, String detail) {
            super(code, detail);
        }
    }

    /** A dependency the request needs is not available. */
    public static final class Unavailable extends Refusal {
        public Unavailable(String code, String detail) {
            super(code, detail);
        }
    }
}
