package io.pressroom.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.pressroom.cli.Cli.Failure;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deploy push|rollback}: publishing templates and moving {@code latest}. */
@Command(name = "deploy", description = "Publish template versions and roll them back.")
final class DeployCommand {

    static final class Target {
        @Option(names = "--deploy", paramLabel = "ID|SLUG", description = "An existing deploy.")
        String deploy;

        @Option(names = "--slug", paramLabel = "SLUG", description = "The deploy with this slug, created when there is none.")
        String slug;
    }

    @Command(name = "push", description = {
            "Publish a new version of a template, which becomes latest: a directory (index.html at its root, assets "
                    + "beside it; dot-files are left out), sent as a zip made in memory, or a zip bundle." })
    int push(@Mixin ApiOptions api,
            @Parameters(paramLabel = "DIR|ZIP", description = "The template's directory or zip bundle.") Path source,
            @ArgGroup(multiplicity = "1") Target target,
            @Option(names = "--name", paramLabel = "NAME", description = "The deploy's name when --slug creates it (default: the slug).") String name)
            throws IOException, InterruptedException {
        if (name != null && target.slug == null) {
            throw api.usage("--name goes with --slug");
        }
        ApiClient client = api.client();
        byte[] bundle = Files.isDirectory(source) ? zip(api, source) : Files.readAllBytes(source);
        String deployId = target.deploy;
        if (deployId == null) {
            String slug = target.slug;
            JsonNode deploy = client.find("/v1/deploys/" + ApiClient.encode(slug));
            if (deploy == null) {
                deploy = client.post("/v1/deploys", Map.of("name", name != null ? name : slug, "slug", slug));
                api.out().println(deploy.path("id").asText() + " created (" + slug + ")");
            }
            deployId = deploy.path("id").asText();
        }
        JsonNode version = client.post("/v1/deploys/" + ApiClient.encode(deployId) + "/versions", "application/zip",
                bundle);
        api.out().println(version.path("id").asText() + " published: version " + version.path("number").asInt()
                + " of " + version.path("deployId").asText() + ", " + version.path("files").size() + " files, "
                + version.path("bytes").asLong() + " bytes");
        return Cli.OK;
    }

    @Command(name = "rollback", description = "Move latest back to the version before it, or to --to. Jobs created "
            + "afterwards with latest use that version; the next push moves latest to the new version.")
    int rollback(@Mixin ApiOptions api,
            @Parameters(paramLabel = "DEPLOY", description = "The deploy's id (dpl_…) or slug.") String deploy,
            @Option(names = "--to", paramLabel = "VERSION", description = "This version (dv_…) instead of the previous one.") String to)
            throws IOException, InterruptedException {
        ApiClient client = api.client();
        String path = "/v1/deploys/" + ApiClient.encode(deploy);
        String latestId = client.getJson(path).path("latestVersionId").asText(null);
        if (latestId == null) {
            throw new Failure(Cli.FAILED, deploy + " has no versions");
        }
        JsonNode latest = client.getJson(path + "/versions/" + ApiClient.encode(latestId));
        JsonNode target = to != null ? client.getJson(path + "/versions/" + ApiClient.encode(to))
                : previous(client, path, latest.path("number").asInt());
        if (target == null) {
            throw new Failure(Cli.FAILED, deploy + " has no version before version " + latest.path("number").asInt()
                    + " (" + latestId + "), the one latest points at");
        }
        client.put(path + "/latest", Map.of("versionId", target.path("id").asText()));
        api.out().println(deploy + ": latest is now " + target.path("id").asText() + " (version "
                + target.path("number").asInt() + "), was " + latestId + " (version " + latest.path("number").asInt()
                + ")");
        return Cli.OK;
    }

    /** The newest version below {@code number}; versions are listed newest first. */
    private static JsonNode previous(ApiClient client, String path, int number) throws IOException, InterruptedException {
        String cursor = null;
        do {
            JsonNode page = client.getJson(path + "/versions?limit=100"
                    + (cursor == null ? "" : "&cursor=" + ApiClient.encode(cursor)));
            for (JsonNode version : page.path("data")) {
                if (version.path("number").asInt() < number) {
                    return version;
                }
            }
            cursor = page.path("nextCursor").asText(null);
        } while (cursor != null);
        return null;
    }

    /** The directory as a zip bundle, as the API reads one: paths relative to it, '/' between folders. */
    private static byte[] zip(ApiOptions api, Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("index.html"))) {
            throw api.usage(dir + " has no index.html at its root");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).filter(file -> !hidden(dir.relativize(file))).sorted().toList();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Path file : files) {
                zip.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace(dir.getFileSystem()
                        .getSeparator(), "/")));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** .git, .DS_Store, editor files: never part of a template. */
    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
