package io.pressroom.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a render attempt's files live in object storage (SPEC §1), known to both roles: the renderer writes them,
 * the API serves and deletes them.
 */
public final class StorageKeys {

    /** Where every render's files go. */
    public static final String OUTPUTS = "outputs/";
    /** Where large payloads and large inline html go (claim checks), one object of each per job. */
    public static final String PAYLOADS = "payloads/";

    private StorageKeys() {
    }

    /** {@code payloads/{jobId}.json}: a job's payload when it is too large to travel in the command. */
    public static String payload(String jobId) {
        return PAYLOADS + jobId + ".json";
    }

    /** {@code payloads/{jobId}.html}: a job's inline html when it is too large to travel in the command. */
    public static String html(String jobId) {
        return PAYLOADS + jobId + ".html";
    }

    /**
     * The job an object under {@code outputs/} or {@code payloads/} belongs to, read from its key; null for a key
     * of neither layout.
     */
    public static String jobOf(String key) {
        if (key.startsWith(OUTPUTS)) {
            String[] parts = key.split("/");
            return parts.length > 3 && !parts[2].isEmpty() ? parts[2] : null;
        }
        for (String suffix : List.of(".json", ".html")) {
            if (key.startsWith(PAYLOADS) && key.endsWith(suffix) && key.indexOf('/', PAYLOADS.length()) < 0) {
                String id = key.substring(PAYLOADS.length(), key.length() - suffix.length());
                return id.isEmpty() ? null : id;
            }
        }
        return null;
    }

    /**
     * {@code outputs/{projectId}/{jobId}/{attempt}/{renderId}/}: everything one render stored. The render id is new
     * for every render, so a second render of the same attempt (a redelivered command, a renderer thought dead)
     * never overwrites the files of the one that was attached.
     */
    public static String renderPrefix(RenderCommand command, String renderId) {
        return attemptPrefix(command.projectId(), command.jobId(), command.attempt()) + renderId + "/";
    }

    /** {@code outputs/{projectId}/{jobId}/{attempt}/}: the only place the renders of one attempt may store files. */
    public static String attemptPrefix(String projectId, String jobId, int attempt) {
        return jobPrefix(projectId, jobId) + attempt + "/";
    }

    /** {@code outputs/{projectId}/{jobId}/}: every file every render of the job stored. */
    public static String jobPrefix(String projectId, String jobId) {
        return OUTPUTS + projectId + "/" + jobId + "/";
    }

    /**
     * Why the API must not take the output a succeeded event reports for {@code projectId}'s job, or null when it
     * may: every key (PDF, previews beside it, report) lies under the attempt's {@link #attemptPrefix} with no
     * empty, {@code .} or {@code ..} segment, and the PDF is {@code application/pdf}. A renderer is not trusted
     * to name another project's object, something to serve as HTML on the API's origin, or a key to delete.
     */
    public static String untrusted(String projectId, String jobId, int attempt, RenderEvent.Output output) {
        String prefix = attemptPrefix(projectId, jobId, attempt);
        if (!within(prefix, output.storageKey()) || !output.storageKey().endsWith(".pdf")) {
            return "its storageKey is not a PDF under " + prefix;
        }
        if (output.reportKey() != null && !within(prefix, output.reportKey())) {
            return "its reportKey is not under " + prefix;
        }
        if (!"pdf".equals(output.format()) || !PDF.equals(output.contentType())) {
            return "its format and contentType are not pdf and " + PDF;
        }
        return null;
    }

    /** The content type of every PDF a render stores. */
    public static final String PDF = "application/pdf";

    private static boolean within(String prefix, String key) {
        if (!key.startsWith(prefix) || key.length() == prefix.length()) {
            return false;
        }
        for (String segment : key.substring(prefix.length()).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    public static String pdf(RenderCommand command, String renderId) {
        return renderPrefix(command, renderId) + command.fileName() + ".pdf";
    }

    /** {@code …/{fileName}.pdf} → {@code …/page-{n}.png}, beside it. */
    public static String previewPage(String pdfKey, int page) {
        return pdfKey.substring(0, pdfKey.lastIndexOf('/') + 1) + "page-" + page + ".png";
    }

    /** {@code …/{fileName}.pdf} → {@code …/diff-{n}.png}: the difference image of page n against the baseline. */
    public static String diffPage(String pdfKey, int page) {
        return pdfKey.substring(0, pdfKey.lastIndexOf('/') + 1) + "diff-" + page + ".png";
    }

    /** Every object a render stored, from what its succeeded event reports. */
    public static List<String> allOf(RenderEvent.Output output) {
        List<String> keys = new ArrayList<>();
        keys.add(output.storageKey());
        for (int page = 1; page <= output.previewPages(); page++) {
            keys.add(previewPage(output.storageKey(), page));
        }
        if (output.diff() != null && output.diff().pages() != null) {
            for (int page = 1; page <= output.diff().comparedPages(); page++) {
                keys.add(diffPage(output.storageKey(), page));
            }
        }
        if (output.reportKey() != null) {
            keys.add(output.reportKey());
        }
        return keys;
    }
}
