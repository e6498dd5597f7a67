package io.pressroom.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A message on {@link Topics#CONTROL}, read by every renderer: {@code cancel} stops the job's render wherever it
 * runs, and makes a renderer skip a command of that job still waiting for its turn.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RenderControl(String type, int schemaVersion, String jobId, int attempt) {

    public static final String CANCEL = "cancel";
    public static final int SCHEMA_VERSION = 1;

    public static RenderControl cancel(String jobId, int attempt) {
        return new RenderControl(CANCEL, SCHEMA_VERSION, jobId, attempt);
    }

    public boolean isCancel() {
        return CANCEL.equals(type) && jobId != null;
    }
}
