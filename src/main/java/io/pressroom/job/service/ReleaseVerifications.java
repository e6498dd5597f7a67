package io.pressroom.job.service;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.deploy.repository.DeployVersion;
import io.pressroom.deploy.service.VersionVerifier;
import io.smallrye.mutiny.Uni;

/**
 * The release gate's job: a test job (no usage, no quota, watermarked on both sides alike) of the new version with
 * its sample payload, whose renderer also renders the baseline version with the same payload and options and
 * records the page-by-page diff on the job. One job, one render attempt: both documents come from the same
 * renderer and Chromium, so the diff shows the templates' difference and not two machines'.
 */
@ApplicationScoped
public class ReleaseVerifications implements VersionVerifier {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JobService jobs;
    private final ObjectMapper json;

    public ReleaseVerifications(JobService jobs, ObjectMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    @Override
    public Uni<Verification> verify(String projectId, DeployVersion version, String baselineVersionId) {
        if (baselineVersionId == null) {
            return Uni.createFrom().item(Verification.noBaseline());
        }
        Map<String, Object> payload = json.convertValue(version.samplePayload, MAP);
        return jobs.createVerification(projectId, version.deployId, version.id, payload, baselineVersionId)
                .map(created -> new Verification(Verification.PENDING, baselineVersionId, created.jobId(),
                        "/v1/render-jobs/" + created.jobId()));
    }
}
