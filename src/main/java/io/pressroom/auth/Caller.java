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

    void authenticate(String projectId) {
        this.projectId = projectId;
    }
}
