package io.pressroom.console.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import io.pressroom.auth.Caller;
import io.pressroom.common.ApiProblem;
import io.pressroom.config.PressroomConfig;
import io.pressroom.console.rest.ConsoleViews.DeployPage;
import io.pressroom.console.rest.ConsoleViews.DeployRow;
import io.pressroom.console.rest.ConsoleViews.JobPage;
import io.pressroom.console.rest.ConsoleViews.JobRow;
import io.pressroom.deploy.service.DeployService;
import io.pressroom.job.repository.JobFilter;
import io.pressroom.job.service.JobService;
import io.pressroom.job.service.JobTransitions;
import io.pressroom.job.service.JobUsage;
import io.pressroom.job.service.JobUsage.Usage;
import io.pressroom.job.service.JobViews.JobDetail;
import io.pressroom.job.service.JobViews.JobView;
import io.pressroom.job.service.OutputService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The console's data, as HTML fragments that htmx puts into the pages. Authenticated like the API (the
 * {@code AuthFilter} covers {@code /console/fragments/}): the key comes in the Authorization header, which a browser
 * never adds by itself, so a form on another site cannot act here (no CSRF token is needed). Every value is
 * escaped by Qute; refusals are the API's problem+json, which the console's script shows.
 */
@Path("/console/fragments")
@Produces(MediaType.TEXT_HTML)
public class ConsoleFragments {

    /** How many jobs the list shows: the newest; the API's list pages further. */
    static final int LIST_SIZE = 50;
    private static final int VERSIONS_SHOWN = 20;
    private static final int USAGE_DAYS = 14;
    private static final List<String> STATUSES = List.of("queued", "rendering", "retry_scheduled", "succeeded",
            "failed", "cancelled");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", java.util.Locale.ROOT);

    private final JobService jobs;
    private final JobTransitions transitions;
    private final OutputService outputs;
    private final DeployService deploys;
    private final JobUsage usage;
    private final Caller caller;
    private final PressroomConfig config;

    public ConsoleFragments(JobService jobs, JobTransitions transitions, OutputService outputs,
            DeployService deploys, JobUsage usage, Caller caller, PressroomConfig config) {
        this.jobs = jobs;
        this.transitions = transitions;
        this.outputs = outputs;
        this.deploys = deploys;
        this.usage = usage;
        this.caller = caller;
        this.config = config;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance jobs(List<JobRow> jobs, String status, int shown, String updated);

        static native TemplateInstance job(JobPage job);

        static native TemplateInstance deploys(List<DeployRow> deploys);

        static native TemplateInstance deploy(DeployPage page);

        static native TemplateInstance usage(String period, List<UsageChart> charts);
    }

    @GET
    @Path("/jobs")
    public Uni<String> jobs(@QueryParam("status") String status, @QueryParam("test") String test) {
        String chosen = status == null || status.isBlank() ? null : status;
        if (chosen != null && !STATUSES.contains(chosen)) {
            throw ApiProblem.badRequest("status: must be one of " + String.join(", ", STATUSES));
        }
        Boolean testOnly = test == null || test.isBlank() ? null : Boolean.valueOf(test);
        JobFilter filter = new JobFilter(chosen, null, null, null, null, null, null, null, null, testOnly, null, null);
        return jobs.list(caller.projectId(), filter, null, LIST_SIZE).map(rows -> {
            List<JobRow> shown = rows.stream().map(JobView::of).map(JobRow::of).toList();
            return Templates.jobs(shown, chosen, shown.size(), ConsoleViews.time(System.currentTimeMillis()))
                    .render();
        });
    }

    @GET
    @Path("/jobs/{jobId}")
    public Uni<String> job(@PathParam("jobId") String jobId, @Context UriInfo uri) {
        return jobs.find(caller.projectId(), jobId).chain(detail -> page(detail, uri));
    }

    @POST
    @Path("/jobs/{jobId}/cancel")
    public Uni<String> cancel(@PathParam("jobId") String jobId, @Context UriInfo uri) {
        return transitions.cancel(caller.projectId(), jobId).chain(ignored -> job(jobId, uri));
    }

    @POST
    @Path("/jobs/{jobId}/acknowledge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<String> acknowledge(@PathParam("jobId") String jobId, @FormParam("acknowledged") String acknowledged,
            @Context UriInfo uri) {
        if (!"true".equals(acknowledged) && !"false".equals(acknowledged)) {
            throw ApiProblem.badRequest("acknowledged: must be true or false");
        }
        return jobs.acknowledge(caller.projectId(), jobId, Boolean.parseBoolean(acknowledged))
                .chain(detail -> page(detail, uri));
    }

    /** The job's page, with signed links to its PDF (the API's own links) when it has one. */
    private Uni<String> page(JobDetail detail, UriInfo uri) {
        if (detail.pdf() == null || !"available".equals(detail.pdf().state())) {
            return Uni.createFrom().item(Templates.job(JobPage.of(detail, null, null)).render());
        }
        String jobId = detail.job().id();
        Instant expiresAt = Instant.now().plusSeconds(config.downloads().defaultExpirySeconds());
        String base = uri.getBaseUri().getPath().replaceAll("/+$", "");
        return outputs.link(caller.projectId(), jobId, true, expiresAt)
                .chain(inline -> outputs.link(caller.projectId(), jobId, false, expiresAt)
                        .map(attachment -> JobPage.of(detail, base + "/v1/downloads/" + inline,
                                base + "/v1/downloads/" + attachment)))
                .map(page -> Templates.job(page).render());
    }

    @GET
    @Path("/deploys")
    public Uni<String> deploys() {
        return deploys.page(caller.projectId(), null, 100)
                .map(rows -> Templates.deploys(rows.stream().map(DeployRow::of).toList()).render());
    }

    @GET
    @Path("/deploys/{deployId}")
    public Uni<String> deploy(@PathParam("deployId") String deployId, @QueryParam("version") String version) {
        return deploys.find(caller.projectId(), deployId).chain(deploy -> deploys
                .versions(caller.projectId(), deploy.id, null, VERSIONS_SHOWN)
                .chain(versions -> deploy.latestVersionId == null
                        ? Uni.createFrom().item(Templates.deploy(DeployPage.of(deploy, versions, null)).render())
                        : deploys.version(caller.projectId(), deploy.id,
                                version == null || version.isBlank() ? "latest" : version)
                                .map(shown -> Templates.deploy(DeployPage.of(deploy, versions, shown)).render())));
    }

    /** Rollback (or forward again): moves latest, as {@code PUT /v1/deploys/{id}/latest} does. */
    @POST
    @Path("/deploys/{deployId}/latest")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<String> moveLatest(@PathParam("deployId") String deployId, @FormParam("versionId") String versionId) {
        if (versionId == null || versionId.isBlank()) {
            throw ApiProblem.badRequest("versionId: must not be blank");
        }
        return deploys.moveLatest(caller.projectId(), deployId, versionId)
                .chain(deploy -> deploy(deploy.id, versionId));
    }

    /** This month's figures, and pages per day over the last two weeks, as bar charts. */
    @GET
    @Path("/usage")
    public Uni<String> usage() {
        String projectId = caller.projectId();
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<LocalDate> days = new ArrayList<>();
        for (int i = USAGE_DAYS - 1; i >= 0; i--) {
            days.add(today.minusDays(i));
        }
        // one day after the other: a console page is no reason to take 14 connections from the pool at once
        Uni<List<Usage>> daily = Multi.createFrom().iterable(days)
                .onItem().transformToUniAndConcatenate(day -> usage.usage(projectId,
                        day.atStartOfDay().toInstant(ZoneOffset.UTC),
                        day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)))
                .collect().asList();
        return usage.usage(projectId, from, to).chain(total -> daily.map(perDay -> {
            Map<String, Long> pages = new LinkedHashMap<>();
            for (int i = 0; i < days.size(); i++) {
                pages.put(DAY.format(days.get(i)), perDay.get(i).pages());
            }
            Map<String, Number> figures = new LinkedHashMap<>();
            figures.put("pages", total.pages());
            figures.put("render seconds", total.renderSeconds());
            figures.put("test pages", total.test().pages());
            List<UsageChart> charts = List.of(
                    UsageChart.of("Jobs by status", "jobs", ordered(total.jobs())),
                    UsageChart.of("Test jobs by status", "jobs", ordered(total.test().jobs())),
                    UsageChart.of("Pages and render time", "", figures),
                    UsageChart.of("Pages per day, last " + USAGE_DAYS + " days", "pages", pages));
            String period = month.getMonth().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ROOT)
                    + " " + month.getYear() + " (UTC), bytes stored: " + ConsoleViews.bytes(total.bytesStored());
            return Templates.usage(period, charts).render();
        }));
    }

    private static Map<String, Long> ordered(Map<String, Long> byStatus) {
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (String status : STATUSES) {
            ordered.put(status.replace('_', ' '), byStatus.getOrDefault(status, 0L));
        }
        return ordered;
    }
}
