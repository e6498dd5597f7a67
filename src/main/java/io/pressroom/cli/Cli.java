package io.pressroom.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Pressroom's command line (SPEC §5), in the service's own binary: without a command, or with {@code serve}, it
 * starts the service; with one it is a client of a running API and never starts the service. Parsing, help, version
 * and usage errors are picocli's; the plain library, since Quarkus's picocli extension would make the whole
 * application a command.
 * <p>
 * Exit statuses are stable (scripts and probes depend on them) and listed in every command's help and in the
 * README: see the constants below.
 */
@Command(name = "pressroom", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, sortOptions = false, usageHelpAutoWidth = true, description = {
        "Pressroom, a render-job service (templates + JSON data -> PDF).",
        "Without a command, or with 'serve', it starts the service in its configured role (pressroom.role). "
                + "With a command it is a client of a running Pressroom API and never starts the service." }, subcommands = {
                        Cli.Serve.class, HealthCommand.class, RenderCommand.class, JobsCommand.class,
                        DeployCommand.class, HelpCommand.class }, footerHeading = "%nEnvironment:%n", footer = {
                                "  PRESSROOM_API    the API's base URL when --api is not given",
                                "  PRESSROOM_TOKEN  the project's API key when --token is not given" }, exitCodeListHeading = "%nExit status:%n", exitCodeList = {
                                        " 0:done",
                                        " 1:the job failed or was cancelled; not ready (health); nothing to roll back to",
                                        " 2:usage error (unknown option, missing argument, unreadable file)",
                                        " 3:the API answered an error (its problem detail is printed)",
                                        " 4:the API cannot be reached",
                                        " 5:the job was still running when --timeout passed" })
public final class Cli implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    public static final int API_ERROR = 3;
    public static final int UNREACHABLE = 4;
    public static final int TIMEOUT = 5;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "", description = "A configuration property for the service, as java -D would set it.")
    Map<String, String> properties = new LinkedHashMap<>();

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Runnable service;

    /**
     * @param env where {@code --api}, {@code --token} and health's management port come from when not given
     * @param service starts the service and returns when it has stopped ({@code Quarkus::run} in the binary)
     */
    public Cli(Map<String, String> env, PrintStream out, PrintStream err, Runnable service) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.service = service;
    }

    /** Runs the command {@code args} name; returns its exit status (also after the service has stopped). */
    public int run(String... args) {
        CommandLine commandLine = new CommandLine(this)
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setParameterExceptionHandler(Cli::usage)
                .setExecutionExceptionHandler((e, command, parsed) -> failed(e, command))
                // picocli finds its own Path converter by reflection on Paths.get, which a native image lacks
                .registerConverter(Path.class, Path::of);
        // after the subcommands are added: the provider is handed down to all of them
        commandLine.setDefaultValueProvider(environment());
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        properties.forEach(System::setProperty);
        service.run();
        return OK;
    }

    private IDefaultValueProvider environment() {
        return argument -> {
            if (!(argument instanceof OptionSpec option)) {
                return null;
            }
            return switch (option.longestName()) {
                case "--api" -> env.get("PRESSROOM_API");
                case "--token" -> env.get("PRESSROOM_TOKEN");
                // the management interface of the service beside it: health is served there, not on the API's port
                case "--url" -> "http://127.0.0.1:" + env.getOrDefault("QUARKUS_MANAGEMENT_PORT", "9000");
                default -> null;
            };
        };
    }

    /** The error, the command's synopsis and where its help is: the full help would bury the error. */
    private static int usage(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("pressroom: " + e.getMessage().replaceFirst("^Error: ", ""));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.print(command.getHelp().fullSynopsis());
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return USAGE;
    }

    private static int failed(Exception e, CommandLine command) {
        PrintWriter err = command.getErr();
        if (e instanceof Failure failure) {
            err.println("pressroom: " + failure.getMessage());
            return failure.status;
        }
        if (e instanceof FileSystemException file) {
            String reason = e instanceof NoSuchFileException ? "no such file"
                    : e instanceof AccessDeniedException ? "permission denied"
                            : Objects.requireNonNullElse(file.getReason(), e.getClass().getSimpleName());
            err.println("pressroom: " + file.getFile() + ": " + reason);
            return USAGE;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        err.println("pressroom: " + e);
        return FAILED;
    }

    /** An outcome other than success, with its exit status; the message goes to stderr. */
    static final class Failure extends RuntimeException {
        final int status;

        Failure(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Command(name = "serve", description = "Start the service (also what no command does).")
    static final class Serve implements Callable<Integer> {
        @ParentCommand
        Cli root;

        @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "", description = "A configuration property for the service, as java -D would set it.")
        Map<String, String> properties = new LinkedHashMap<>();

        @Override
        public Integer call() {
            root.properties.putAll(properties);
            return root.call();
        }
    }

    /** The build's version, from a resource the build fills in (no manifest in a native image). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties build = new Properties();
            try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    build.load(in);
                }
            }
            return new String[] { "pressroom " + build.getProperty("version", "(version unknown)") };
        }
    }
}
