package io.pressroom.job.rest;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The OpenAPI schema of GET …/report, which answers the JSON a renderer stored beside the PDF
 * ({@code RenderExecutor.storeReport}, a map) as it is: this type only documents it and is never instantiated.
 */
@Schema(name = "RenderReport", description = "What the renderer measured and saw while rendering the job's output")
record RenderReport(String jobId,
        @Schema(description = "The attempt that produced the output") int attempt,
        int pages,
        @Schema(description = "Size of the PDF") long bytes,
        @Schema(description = "SHA-256 of the PDF, hex") String sha256,
        @Schema(description = "Milliseconds per step: queueWait, merge, load, print, upload") Map<String, Long> timings,
        @Schema(description = "Errors the page logged to its console") List<String> consoleErrors,
        @Schema(description = "Requests the sandbox refused (only the bundle's own assets and data URLs load)") List<BlockedRequest> blockedRequests,
        @Schema(description = "Present and true when consoleErrors or blockedRequests were cut: each keeps its first entries, up to 64 Ki characters") Boolean truncated) {

    /** The reasons are those of {@code render.browser.RequestPolicy} and {@code BundleSandbox}. */
    record BlockedRequest(String url,
            @Schema(enumeration = {
                    "loopback", "link_local", "private_network", "host_not_allowed", "file_scheme",
                    "scheme_not_allowed", "navigation" }) String reason){
    }
}
