package io.pressroom.job.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.Ids;
import io.pressroom.common.Refusal;
import io.pressroom.common.RequestDeadline;
import io.pressroom.job.repository.JobStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * What a project used, summed from its jobs: for {@code GET /v1/usage}, and the monthly page quota a create is held
 * to. Periods are ranges of job ids (ids start with their creation time), so the sums walk the
 * {@code (project_id, test, id)} index; a job counts in the period it was created in.
 */
@ApplicationScoped
public class JobUsage {

    /** The longest period {@code GET /v1/usage} sums. */
    static final int MAX_DAYS = 366;

    /** The figures of one kind of job (normal or test) over a period. */
    public record Figures(Map<String, Long> jobs, long pages, double renderSeconds, long bytesStored) {
    }

    /** A period's usage: the figures of normal jobs, and those of test jobs apart. */
    public record Usage(Instant from, Instant to, Map<String, Long> jobs, long pages, double renderSeconds,
            long bytesStored, Figures test) {
        static Usage of(Instant from, Instant to, Figures live, Figures test) {
            return new Usage(from, to, live.jobs(), live.pages(), live.renderSeconds(), live.bytesStored(), test);
        }
    }

    private final RequestDeadline deadline;

    public JobUsage(RequestDeadline deadline) {
        this.deadline = deadline;
    }

    /** The project's usage from {@code from} (inclusive) to {@code to} (exclusive). */
    public Uni<Usage> usage(String projectId, Instant from, Instant to) {
        return deadline.database(Panache.withSession(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("""
                        SELECT j.test, j.status, count(*),
                               coalesce(sum(o.page_count) FILTER (WHERE j.status = 'succeeded'), 0),
                               coalesce(sum(extract(epoch FROM j.finished_at - j.started_at)), 0),
                               coalesce(sum(o.bytes + o.preview_bytes) FILTER (WHERE o.state = 'available'), 0)
                        FROM render_jobs j LEFT JOIN render_outputs o ON o.job_id = j.id AND o.format = 'pdf'
                        WHERE j.project_id = ?1 AND j.id >= ?2 AND j.id < ?3 AND NOT j.estimate
                        GROUP BY j.test, j.status""", Object[].class)
                .setParameter(1, projectId)
                .setParameter(2, Ids.lowestAt(Ids.RENDER_JOB, from.toEpochMilli()))
                .setParameter(3, Ids.lowestAt(Ids.RENDER_JOB, to.toEpochMilli()))
                .getResultList())
                .map(rows -> Usage.of(from, to, figures(rows, false), figures(rows, true)))));
    }

    private static Figures figures(List<Object[]> rows, boolean test) {
        Map<String, Long> jobs = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            jobs.put(status.name(), 0L);
        }
        long pages = 0;
        double seconds = 0;
        long bytes = 0;
        for (Object[] row : rows) {
            if ((Boolean) row[0] != test) {
                continue;
            }
            jobs.put((String) row[1], ((Number) row[2]).longValue());
            pages += ((Number) row[3]).longValue();
            seconds += ((Number) row[4]).doubleValue();
            bytes += ((Number) row[5]).longValue();
        }
        return new Figures(jobs, pages, Math.round(seconds * 1000) / 1000.0, bytes);
    }

    /**
     * Refuses a normal job when the project has a monthly page quota and has used it: the pages of this calendar
     * month's (UTC) succeeded jobs, plus one page for each of its jobs still queued, rendering or waiting for a
     * retry (their pages are not known yet). Counted in the create's transaction without a lock: creates racing
     * each other at the limit may all pass, so the quota is soft by at most the creates in flight.
     */
    Uni<Void> checkMonthlyQuota(String projectId, Instant now) {
        return checkMonthlyQuota(projectId, now, 1);
    }

    /**
     * As {@link #checkMonthlyQuota(String, Instant)} for {@code adding} new jobs at once (a batch, each counted as
     * one page until it ends): refused unless all of them fit.
     */
    Uni<Void> checkMonthlyQuota(String projectId, Instant now, int adding) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT monthly_page_quota FROM projects WHERE id = ?1", Integer.class)
                .setParameter(1, projectId).getResultList())
                .chain(quotas -> quotas.isEmpty() || quotas.get(0) == null ? Uni.createFrom().voidItem()
                        : monthlyPages(projectId, now).invoke(used -> {
                            long quota = quotas.get(0);
                            if (used + adding > quota) {
                                Instant resets = monthStart(now).plusMonths(1).atDay(1).atStartOfDay()
                                        .toInstant(ZoneOffset.UTC);
                                String more = adding == 1 ? "" : " and a batch of " + adding + " jobs would pass it";
                                throw new Refusal.OverQuota("quota_exceeded", "this project used " + used
                                        + " of its " + quota + " pages this month" + more + "; the quota resets at "
                                        + resets,
                                        quota, used, resets);
                            }
                        }).replaceWithVoid());
    }

    /**
     * The pages of the month's succeeded normal jobs, kept as they succeed (V25, {@code project_month_pages}), and
     * one for each of the month's normal jobs not finished yet: at most {@code max-unfinished-per-project}, read from
     * the project's index by status.
     */
    private Uni<Long> monthlyPages(String projectId, Instant now) {
        YearMonth month = monthStart(now);
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT coalesce((SELECT pages FROM project_month_pages
                                 WHERE project_id = ?1 AND month = ?3), 0)
                     + (SELECT count(*) FROM render_jobs
                        WHERE project_id = ?1 AND NOT test AND id >= ?2
                          AND status IN ('queued', 'rendering', 'retry_scheduled'))""", Long.class)
                .setParameter(1, projectId)
                .setParameter(2, Ids.lowestAt(Ids.RENDER_JOB, from.toEpochMilli()))
                .setParameter(3, month.atDay(1))
                .getSingleResult());
    }

    private static YearMonth monthStart(Instant now) {
        return YearMonth.from(now.atZone(ZoneOffset.UTC));
    }

    /**
     * The period of {@code GET /v1/usage}: each bound an ISO instant or an ISO date (UTC; a date {@code to} includes
     * that day); by default the current calendar month (UTC). Refused when not after each other or longer than
     * {@value #MAX_DAYS} days.
     */
    public static Instant[] period(String from, String to, Instant now) {
        YearMonth month = monthStart(now);
        Instant start = from == null ? month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                : parse("from", from, false);
        Instant end = to == null ? month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                : parse("to", to, true);
        if (!end.isAfter(start)) {
            throw new Refusal.Invalid("to: must be after from");
        }
        if (end.isAfter(start.plus(Duration.ofDays(MAX_DAYS)))) {
            throw new Refusal.Invalid("to: the period may be at most " + MAX_DAYS + " days long");
        }
        return new Instant[] { start, end };
    }

    private static Instant parse(String name, String value, boolean endOfDay) {
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new Refusal.Invalid(name + ": must be an ISO instant (2026-12-01T00:00:00Z) or date (2026-12-01)");
        }
    }
}
