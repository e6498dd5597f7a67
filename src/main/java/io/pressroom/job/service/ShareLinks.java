package io.pressroom.job.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.common.Ids;
import io.pressroom.common.Refusal;
import io.pressroom.common.RequestDeadline;
import io.pressroom.job.repository.JobRepository;
import io.pressroom.job.repository.JobShare;
import io.pressroom.job.repository.JobStatus;
import io.pressroom.job.repository.OutputRepository;
import io.pressroom.job.repository.RenderOutput;
import io.pressroom.job.repository.ShareRepository;
import io.pressroom.job.service.DownloadLinks.Grant;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Revocable share links of a succeeded job's PDF. A share is a row and a signed download token that names it; the
 * download checks the row each time ({@link OutputService#open}), so revoking one link stops it at once and leaves
 * the output and every other link alone. The token is handed out once, at creation, as other signed links are.
 */
@ApplicationScoped
public class ShareLinks {

    /** A new share and its token (the token is not stored). */
    public record Minted(JobShare share, String token) {
    }

    private final JobRepository jobs;
    private final OutputRepository outputs;
    private final ShareRepository shares;
    private final DownloadLinks links;
    private final RequestDeadline deadline;

    public ShareLinks(JobRepository jobs, OutputRepository outputs, ShareRepository shares, DownloadLinks links,
            RequestDeadline deadline) {
        this.jobs = jobs;
        this.outputs = outputs;
        this.shares = shares;
        this.links = links;
        this.deadline = deadline;
    }

    /** A share link of the job's PDF until {@code expiresAt}: 409 unless the job succeeded, 404 without its PDF. */
    public Uni<Minted> mint(String projectId, String jobId, Instant expiresAt) {
        return deadline.database(Panache.withTransaction(() -> jobs.findInProject(projectId, jobId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("render job " + jobId))
                .chain(job -> {
                    if (job.status != JobStatus.succeeded) {
                        throw new Refusal.Conflict("job_not_succeeded", "the job is " + job.status
                                + "; only a succeeded job's PDF can be shared");
                    }
                    return outputs.findPdf(job.id);
                })
                .chain(output -> {
                    if (output == null || !RenderOutput.AVAILABLE.equals(output.state)) {
                        throw new Refusal.NotFound("output_gone", "the job's PDF was deleted or expired");
                    }
                    JobShare share = new JobShare();
                    share.id = Ids.next(Ids.SHARE);
                    share.jobId = jobId;
                    share.projectId = projectId;
                    share.createdAt = Instant.now();
                    share.expiresAt = expiresAt;
                    return shares.persist(share).map(saved -> new Minted(saved,
                            links.sign(new Grant(output.id, false, expiresAt, saved.id))));
                })));
    }

    /** The job's share links, oldest first, revoked and expired ones too. */
    public Uni<List<JobShare>> list(String projectId, String jobId) {
        return deadline.database(Panache.withSession(() -> jobs.findInProject(projectId, jobId)
                .onItem().ifNull().failWith(() -> new Refusal.NotFound("render job " + jobId))
                .chain(job -> shares.ofJob(job.id))));
    }

    /** Revokes a share link at once; revoking it again keeps the first time. */
    public Uni<JobShare> revoke(String projectId, String jobId, String shareId) {
        return deadline.database(Panache.withTransaction(() -> shares.findById(shareId)
                .map(share -> {
                    if (share == null || !share.projectId.equals(projectId) || !share.jobId.equals(jobId)) {
                        throw new Refusal.NotFound("share " + shareId);
                    }
                    if (share.revokedAt == null) {
                        share.revokedAt = Instant.now();
                    }
                    return share;
                })));
    }
}
