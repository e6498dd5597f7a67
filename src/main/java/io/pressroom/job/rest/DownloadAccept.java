package io.pressroom.job.rest;

import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Downloads serve their file whatever the client's {@code Accept} says, as they did before they were streamed.
 * A streamed download declares its one media type (see {@link DownloadResource}), so a client that sends
 * {@code Accept: application/json} on every request (many SDKs do; the CLI did) would get 406 for a PDF it asked
 * for by URL. Errors are still problem+json.
 */
public class DownloadAccept {

    private static final Pattern DOWNLOADS = Pattern
            .compile("/v1/(downloads/[^/]+|render-jobs/[^/]+/output(/pages/[0-9]+\\.png)?)/?");

    @ServerRequestFilter(preMatching = true)
    public void acceptTheFile(ContainerRequestContext request) {
        String method = request.getMethod();
        if (("GET".equals(method) || "HEAD".equals(method))
                && DOWNLOADS.matcher(request.getUriInfo().getPath()).matches()) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, "*/*");
        }
    }
}
