package io.pressroom.deploy.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.pressroom.bundle.BundleFile;
import io.pressroom.deploy.repository.Deploy;
import io.pressroom.deploy.repository.DeployVersion;

/** What the API shows of deploys and versions. */
final class DeployViews {

    private DeployViews() {
    }

    record DeployView(String id, String name, String slug,
            @Schema(nullable = true, description = "The version latest points at; null before the first") String latestVersionId,
            int versionCount, long createdAt, long updatedAt) {
        static DeployView of(Deploy deploy) {
            return new DeployView(deploy.id, deploy.name, deploy.slug, deploy.latestVersionId, deploy.versionCount,
                    deploy.createdAt.toEpochMilli(), deploy.updatedAt.toEpochMilli());
        }
    }

    record VersionView(String id, String deployId, int number, String sha256, long bytes, long createdAt,
            List<BundleFile> files,
            @Schema(implementation = Object.class, type = SchemaType.OBJECT, nullable = true, description = "The JSON Schema (2020-12) job payloads must match (400 payload_invalid otherwise); null: any payload") JsonNode schema,
            @Schema(implementation = Object.class, type = SchemaType.OBJECT, nullable = true, description = "A payload that matches schema; null when none was published") JsonNode samplePayload,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Only in the answer of a publish with verify=true: the release gate's comparison with the version latest points at (latest has not moved)") VerificationView verification) {
        static VersionView of(DeployVersion version) {
            return of(version, null);
        }

        static VersionView of(DeployVersion version, VerificationView verification) {
            return new VersionView(version.id, version.deployId, version.number, version.sha256, version.bytes,
                    version.createdAt.toEpochMilli(), version.manifest.files(), version.payloadSchema,
                    version.samplePayload, verification);
        }
    }

    /** The release gate's answer: read the job for its diff once it succeeded. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VerificationView(
            @Schema(description = "pending: the job renders the sample payload with this version and the baseline, then compares them page by page; no_baseline: the deploy had no latest version to compare with", enumeration = {
                    "pending", "no_baseline" }) String status,
            @Schema(description = "The version latest pointed at, rendered with the same payload") String baselineVersionId,
            @Schema(description = "The test job that renders and compares; its diff field holds the report") String jobId,
            @Schema(description = "The job's URL: GET it (diff, diff.pages[].image) once job.status is succeeded") String job){
        static VerificationView of(io.pressroom.deploy.service.VersionVerifier.Verification verification) {
            return new VerificationView(verification.status(), verification.baselineVersionId(), verification.jobId(),
                    verification.job());
        }
    }
}
