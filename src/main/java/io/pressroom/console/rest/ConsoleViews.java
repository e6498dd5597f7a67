package io.pressroom.console.rest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.deploy.repository.Deploy;
import io.pressroom.deploy.repository.DeployVersion;
import io.pressroom.job.service.JobViews.JobDetail;
import io.pressroom.job.service.JobViews.JobView;

/**
 * What the console's templates show, already formatted: the templates only lay text out (Qute escapes all of it),
 * and hold no logic beyond conditions and loops.
 */
final class ConsoleViews {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper PRETTY = new ObjectMapper();

    private ConsoleViews() {
    }

    /** One line of the job list. */
    record JobRow(String id, String status, String deployId, String businessKey, String requested, boolean test,
            boolean acknowledged, String meta) {
        static JobRow of(JobView job) {
            return new JobRow(job.id(), job.status(), job.deployId(), job.businessKey(), time(job.requestedAt()),
                    Boolean.TRUE.equals(job.test()), Boolean.TRUE.equals(job.acknowledged()), json(job.meta()));
        }
    }

    /** A job's page: its fields, what can be done with it, and the links to its output. */
    record JobPage(JobRow row, int attempt, String queue, String started, String finished, String duration,
            String errorCode, String errorMessage, String retryOf, boolean cancellable, String pdfSize,
            Integer pageCount, List<Integer> previewPages, String pdfLink, String downloadLink) {
        static JobPage of(JobDetail detail, String pdfLink, String downloadLink) {
            JobView job = detail.job();
            boolean terminal = List.of("succeeded", "failed", "cancelled").contains(job.status());
            List<Integer> pages = detail.previews() == null ? List.of()
                    : java.util.stream.IntStream.rangeClosed(1, detail.previews().pages()).boxed().toList();
            return new JobPage(JobRow.of(job), job.attempt(), job.queue(), time(job.startedAt()),
                    time(job.finishedAt()), job.durationMs() == null ? null : job.durationMs() + " ms",
                    job.errorCode(), job.errorMessage(), job.retryOf(), !terminal,
                    detail.pdf() == null ? null : bytes(detail.pdf().bytes()),
                    detail.pdf() == null ? null : detail.pdf().pageCount(), pages, pdfLink, downloadLink);
        }
    }

    /** One template (deploy) in the list. */
    record DeployRow(String id, String name, String slug, int versions, String updated) {
        static DeployRow of(Deploy deploy) {
            return new DeployRow(deploy.id, deploy.name, deploy.slug, deploy.versionCount,
                    time(deploy.updatedAt.toEpochMilli()));
        }
    }

    /** One version of a template. */
    record VersionRow(String id, int number, String created, String sha256, String size, boolean latest,
            boolean shown) {
    }

    /** A template's page: its versions, and the shown version's data contract and sample payload. */
    record DeployPage(DeployRow deploy, List<VersionRow> versions, VersionRow shown, String schema, String sample) {
        static DeployPage of(Deploy deploy, List<DeployVersion> versions, DeployVersion shown) {
            List<VersionRow> rows = versions.stream().map(version -> new VersionRow(version.id, version.number,
                    time(version.createdAt.toEpochMilli()), version.sha256, bytes(version.bytes),
                    version.id.equals(deploy.latestVersionId), shown != null && version.id.equals(shown.id)))
                    .toList();
            VersionRow shownRow = rows.stream().filter(VersionRow::shown).findFirst().orElse(null);
            return new DeployPage(DeployRow.of(deploy), rows, shownRow,
                    shown == null ? null : pretty(shown.payloadSchema),
                    shown == null || shown.samplePayload == null ? "{}" : pretty(shown.samplePayload));
        }
    }

    static String time(Long epochMillis) {
        return epochMillis == null ? null : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    private static String json(Map<String, Object> value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static String pretty(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return PRETTY.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
