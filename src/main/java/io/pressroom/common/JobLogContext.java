package io.pressroom.common;

import org.jboss.logging.MDC;

/**
 * Puts a job's ids into the logging MDC ({@code jobId}, {@code projectId}, {@code attempt}) for every line logged
 * while working on it, and takes them out again on {@link #close()}. On a Vert.x context Quarkus keeps the MDC on
 * that (duplicated) context, elsewhere on the thread: open and close it on the same one.
 */
public final class JobLogContext implements AutoCloseable {

    public static final String JOB_ID = "jobId";
    public static final String PROJECT_ID = "projectId";
    public static final String ATTEMPT = "attempt";

    private JobLogContext() {
    }

    /** The job's ids in the MDC until {@link #close()}; a null id is left out. */
    public static JobLogContext of(String jobId, String projectId, Integer attempt) {
        put(JOB_ID, jobId);
        put(PROJECT_ID, projectId);
        put(ATTEMPT, attempt == null ? null : attempt.toString());
        return new JobLogContext();
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        MDC.remove(JOB_ID);
        MDC.remove(PROJECT_ID);
        MDC.remove(ATTEMPT);
    }
}
