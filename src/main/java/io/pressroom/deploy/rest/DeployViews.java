package io.pressroom.deploy.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
            @Schema(type = SchemaType.OBJECT, nullable = true, description = "The JSON Schema (2020-12) job payloads must match (400 payload_invalid otherwise); null: any payload") JsonNode schema,
            @Schema(type = SchemaType.OBJECT, nullable = true, description = "A payload that matches schema; null when none was published") JsonNode samplePayload) {
        static VersionView of(DeployVersion version) {
            return new VersionView(version.id, version.deployId, version.number, version.sha256, version.bytes,
                    version.createdAt.toEpochMilli(), version.manifest.files(), version.payloadSchema,
                    version.samplePayload);
        }
    }
}
