package io.pressroom.job.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pressroom.job.repository.JobStatus;
import io.pressroom.job.repository.RenderJob;

/**
 * Job metrics of the API role, counted after the commit that made them true: {@code pressroom.jobs.created} by
 * {@code queue}, {@code pressroom.jobs.finished} by {@code status} and {@code code} (the error code, {@code none} when
 * there is none), {@code pressroom.jobs.duration}, creation to terminal state, as a histogram by {@code status}, and
 * {@code pressroom.jobs.refused} by {@code code}: creates turned away for the project's load ({@code queue_full}).
 */
@ApplicationScoped
public class JobMetrics {

    private final MeterRegistry metrics;

    public JobMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void created(RenderJob job) {
        metrics.counter("pressroom.jobs.created", "queue", job.queue).increment();
    }

    void refused(String code) {
        metrics.counter("pressroom.jobs.refused", "code", code).increment();
    }

    void finished(RenderJob job) {
        String status = job.status.name();
        String code = job.status == JobStatus.succeeded || job.errorCode == null ? "none" : job.errorCode;
        metrics.counter("pressroom.jobs.finished", "status", status, "code", code).increment();
        if (job.requestedAt != null && job.finishedAt != null) {
            Timer.builder("pressroom.jobs.duration").description("From creation to the terminal state")
                    .tag("status", status).publishPercentileHistogram().register(metrics)
                    .record(Duration.between(job.requestedAt, job.finishedAt));
        }
    }
}
