package io.pressroom.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --api} and {@code --token}, mixed into every client command; from {@code PRESSROOM_API} and
 * {@code PRESSROOM_TOKEN} when not given (the default provider of {@link Cli}).
 */
final class ApiOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--api", paramLabel = "URL", description = "The API's base URL (default: $PRESSROOM_API).")
    String api;

    @Option(names = "--token", paramLabel = "KEY", description = "The project's API key (default: $PRESSROOM_TOKEN).")
    String token;

    ApiClient client() {
        if (api == null || api.isBlank()) {
            throw usage("no API address: give --api or set PRESSROOM_API (deploy/local/run.sh prints it)");
        }
        if (token == null || token.isBlank()) {
            throw usage("no API key: give --token or set PRESSROOM_TOKEN (deploy/local/run.sh prints it)");
        }
        try {
            URI base = new URI(api.endsWith("/") ? api.substring(0, api.length() - 1) : api);
            if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
                throw usage("--api must be an http(s) URL, got '" + api + "'");
            }
            return new ApiClient(base, token);
        } catch (URISyntaxException e) {
            throw usage("--api must be an http(s) URL, got '" + api + "'");
        }
    }

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** A usage error of the command this is mixed into: exit status 2, with that command's usage. */
    ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
