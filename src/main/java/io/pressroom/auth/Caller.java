package io.pressroom.auth;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling: the project the request's API key belongs to. Set by {@link AuthFilter}. */
@RequestScoped
public class Caller {

    private String projectId;

    public String projectId() {
        if (projectId == null) {
            throw new IllegalStateException("no authenticated project on this request");
        }
        return projectId;
    }

    /** Whether a project key authenticated this request (not the admin key, not a signed link). */
    public boolean isProject() {
        return projectId != null;
    }

    void authenticate(String projectId) {
        this.projectId = projectId;
    }
}
