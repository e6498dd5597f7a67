package io.pressroom.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.pressroom.cli.Cli.Failure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Readiness as an exit status, for exec probes and the images' HEALTHCHECK (the native images have no curl). It
 * probes the management interface of the service process beside it (health is not served on the API's port), so it
 * takes no {@code --api}: a probe that followed PRESSROOM_API could ask a load balancer instead.
 */
@Command(name = "health", description = "Exit 0 when the service at --url is ready (/q/health/ready), 1 when not.")
final class HealthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "The service's management interface (default: http://127.0.0.1 on $QUARKUS_MANAGEMENT_PORT, else 9000).")
    String url;

    @Override
    public Integer call() throws InterruptedException {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).timeout(Duration.ofSeconds(10))
                    .GET().build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--url must be an http(s) URL, got '" + url + "'");
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(request,
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure(Cli.UNREACHABLE, "not ready: " + base + " does not answer (" + e + ")");
        }
        boolean ready = response.statusCode() == 200;
        (ready ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(response.body());
        return ready ? Cli.OK : Cli.FAILED;
    }
}
