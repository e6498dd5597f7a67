package io.pressroom.deploy.service;

import io.pressroom.deploy.repository.DeployVersion;
import io.smallrye.mutiny.Uni;

/**
 * The release gate of {@code POST /v1/deploys/{id}/versions?verify=true}: renders a new version's sample payload
 * and compares it with the version {@code latest} pointed at when it was published. Implemented where jobs are made
 * (jobs depend on deploys, not the other way round).
 */
public interface VersionVerifier {

    /** What the gate answers: {@code pending} with the job that renders and compares, or {@code no_baseline}. */
    record Verification(String status, String baselineVersionId, String jobId, String job) {

        public static final String PENDING = "pending";
        public static final String NO_BASELINE = "no_baseline";

        public static Verification noBaseline() {
            return new Verification(NO_BASELINE, null, null, null);
        }
    }

    /** Starts the comparison of {@code version} with {@code baselineVersionId} (null: no baseline). */
    Uni<Verification> verify(String projectId, DeployVersion version, String baselineVersionId);
}
