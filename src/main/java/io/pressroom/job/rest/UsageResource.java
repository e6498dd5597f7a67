package io.pressroom.job.rest;

import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pressroom.auth.Caller;
import io.pressroom.common.ProblemExample;
import io.pressroom.common.ResponseExample;
import io.pressroom.job.service.JobUsage;
import io.pressroom.job.service.JobUsage.Usage;
import io.smallrye.mutiny.Uni;

/** What the calling project used over a period. */
@Path("/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage", description = "Jobs, pages, render time and storage of the calling project over a period")
public class UsageResource {

    private final JobUsage usage;
    private final Caller caller;
    private final UsageBudget budget;

    public UsageResource(JobUsage usage, Caller caller, UsageBudget budget) {
        this.usage = usage;
        this.caller = caller;
        this.budget = budget;
    }

    @GET
    @Operation(operationId = "getUsage", summary = "The project's usage over a period", description = "Sums the jobs "
            + "created in the period (from inclusive, to exclusive; a date to includes that day): jobs by status, "
            + "pages of succeeded jobs, render seconds (first start to end of each job that ran), bytes of their "
            + "outputs still stored (PDF and previews). Test jobs are summed apart under test and count in no other "
            + "figure. By default the current calendar month (UTC); at most 366 days. A usage query's cost grows with "
            + "the project's jobs: each project runs one at a time and may take "
            + "pressroom.http.usage-database-time-per-minute (6 s) of database time per minute on each API pod; "
            + "beyond it, 429 rate_limited with Retry-After.")
    @ResponseExample(status = 200, name = "month", summary = "December 2026", value = """
            {
              "from": "2026-12-01T00:00:00Z",
              "to": "2027-01-01T00:00:00Z",
              "jobs": {"queued": 0, "rendering": 1, "retry_scheduled": 0, "succeeded": 42, "failed": 2, "cancelled": 1},
              "pages": 97,
              "renderSeconds": 61.874,
              "bytesStored": 1843221,
              "test": {
                "jobs": {"queued": 0, "rendering": 0, "retry_scheduled": 0, "succeeded": 5, "failed": 0, "cancelled": 0},
                "pages": 5,
                "renderSeconds": 3.118,
                "bytesStored": 90411
              }
            }""")
    @ProblemExample(status = 400, detail = "to: the period may be at most 366 days long")
    @ProblemExample(status = 429, code = "rate_limited", detail = "this project's usage queries took their 6.0 s of "
            + "database time per minute on this API pod; retry after 12 s")
    public Uni<Usage> get(
            @Parameter(description = "Start of the period: an ISO instant or date (UTC); default the first of this month", schema = @Schema(type = SchemaType.STRING, example = "2026-12-01")) @QueryParam("from") String from,
            @Parameter(description = "End of the period, exclusive (a date includes that day); default the first of next month", schema = @Schema(type = SchemaType.STRING, example = "2026-12-31")) @QueryParam("to") String to) {
        Instant[] period = JobUsage.period(from, to, Instant.now());
        return budget.run(caller.projectId(), usage.usage(caller.projectId(), period[0], period[1]));
    }
}
