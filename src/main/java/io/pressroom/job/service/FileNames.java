package io.pressroom.job.service;

/** The download name of a job's PDF: its business key made safe for a file name, else the job id. */
public final class FileNames {

    private static final int MAX = 100;

    private FileNames() {
    }

    public static String fromBusinessKey(String businessKey, String jobId) {
        if (businessKey == null) {
            return jobId;
        }
        String safe = businessKey.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[.-]+|[.-]+$", "");
        if (safe.length() > MAX) {
            safe = safe.substring(0, MAX);
        }
        return safe.isEmpty() ? jobId : safe;
    }
}
