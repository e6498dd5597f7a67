package io.pressroom.contract;

/**
 * Where a render attempt's files live in object storage (SPEC §1), known to both roles: the renderer writes them,
 * the API serves and deletes them.
 */
public final class StorageKeys {

    private StorageKeys() {
    }

    /** {@code outputs/{projectId}/{jobId}/{attempt}/}: everything one attempt stored. */
    public static String attemptPrefix(String projectId, String jobId, int attempt) {
        return "outputs/" + projectId + "/" + jobId + "/" + attempt + "/";
    }

    public static String pdf(RenderCommand command) {
        return attemptPrefix(command.projectId(), command.jobId(), command.attempt()) + command.fileName() + ".pdf";
    }

    public static String report(RenderCommand command) {
        return attemptPrefix(command.projectId(), command.jobId(), command.attempt()) + "report.json";
    }

    /** {@code …/{fileName}.pdf} → {@code …/page-{n}.png}, beside it. */
    public static String previewPage(String pdfKey, int page) {
        return pdfKey.substring(0, pdfKey.lastIndexOf('/') + 1) + "page-" + page + ".png";
    }
}
