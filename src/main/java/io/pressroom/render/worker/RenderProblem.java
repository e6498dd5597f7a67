package io.pressroom.render.worker;

/** A render attempt that failed with one of the error codes of SPEC §3. */
public class RenderProblem extends Exception {

    private final String code;
    private final boolean retryable;

    public RenderProblem(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
