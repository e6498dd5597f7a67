package io.pressroom.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The Kubernetes manifests under {@code k8s/} as CI sees them, without a cluster: every file parses strictly in
 * fabric8's Kubernetes model, every kustomization refers only to files and resources that exist, and each overlay
 * holds {@link ManifestRules}: first over the files it includes (without kustomize), then, when {@code kubectl} or
 * {@code kustomize} is on the PATH, over its real rendering ({@code kubectl kustomize}).
 */
class ManifestsTest {

    static final Path ROOT = Path.of("k8s");
    /** Every overlay under k8s/overlays (dev and prod at least). */
    static final List<String> OVERLAYS = overlays();
    /** The keys of kustomization.yaml files these manifests use (anything else is a typo or needs a look here). */
    static final Set<String> KUSTOMIZATION_KEYS = Set.of("apiVersion", "kind", "namespace", "resources", "components",
            "images", "patches", "replacements", "configMapGenerator", "labels");

    static Set<String> metrics;

    @BeforeAll
    static void exported() {
        metrics = ManifestRules.exportedMetrics(Path.of("src/main/java"));
        assertThat(metrics).as("meters found in the code").contains("pressroom_outbox_oldest_seconds",
                "pressroom_dead_letters_total", "pressroom_render_duration_seconds_bucket", "pressroom_consumer_lag");
    }

    @Test
    void everyManifestParsesStrictly() throws IOException {
        List<Path> files = manifests();
        assertThat(files).hasSizeGreaterThan(8);
        List<String> errors = new ArrayList<>();
        for (Path file : files) {
            try {
                assertThat(ManifestModel.parse(Files.readString(file), file.toString())).as(file.toString())
                        .isNotEmpty();
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void kustomizationsReferToWhatExists() throws IOException {
        List<String> errors = new ArrayList<>();
        List<Path> kustomizations;
        try (Stream<Path> walk = Files.walk(ROOT)) {
            kustomizations = walk.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).sorted()
                    .collect(Collectors.toList());
        }
        assertThat(kustomizations).as("base, overlays and components").hasSizeGreaterThanOrEqualTo(7);
        for (Path kustomization : kustomizations) {
            Map<String, Object> k = kustomization(kustomization.getParent());
            Set<String> unknown = new LinkedHashSet<>(k.keySet());
            unknown.removeAll(KUSTOMIZATION_KEYS);
            if (!unknown.isEmpty()) {
                errors.add(kustomization + ": unknown keys " + unknown);
            }
        }
        for (String root : Stream.concat(Stream.of("base"), OVERLAYS.stream()).collect(Collectors.toList())) {
            Included included = include(ROOT.resolve(root), errors);
            for (Map<String, Object> target : included.targets) {
                boolean found = included.resources.stream().anyMatch(r -> r.getKind().equals(target.get("kind"))
                        && (target.get("name") == null || r.getMetadata().getName().equals(target.get("name"))));
                if (!found) {
                    errors.add(root + ": a patch or replacement names " + target.get("kind") + " "
                            + target.get("name") + ", which none of its resources is");
                }
            }
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void eachOverlaysFilesHoldTheRules() throws IOException {
        for (String overlay : OVERLAYS) {
            List<String> errors = new ArrayList<>();
            Included included = include(ROOT.resolve(overlay), errors);
            assertThat(errors).isEmpty();
            assertThat(ManifestRules.check(included.resources, metrics, false)).as(overlay).isEmpty();
            for (Path dashboard : included.generatedFiles) {
                for (String query : ManifestRules.dashboardQueries(Files.readString(dashboard))) {
                    assertThat(ManifestRules.metricNames(query)).as(dashboard + ": " + query)
                            .allMatch(m -> metrics.contains(m) || ManifestRules.FRAMEWORK_METRICS.contains(m));
                }
            }
        }
    }

    @Test
    void eachOverlayRendersAndHoldsTheRules() throws Exception {
        Optional<List<String>> kustomize = kustomize();
        Assumptions.assumeTrue(kustomize.isPresent(),
                "neither kubectl nor kustomize is on the PATH: the overlays were checked file by file only");
        for (String overlay : OVERLAYS) {
            List<HasMetadata> rendered = ManifestModel.parse(render(kustomize.get(), ROOT.resolve(overlay)), overlay);
            assertThat(ManifestRules.check(rendered, metrics, true)).as(overlay).isEmpty();
            assertThat(rendered).as(overlay).allMatch(r -> r.getKind().equals("Namespace")
                    || r.getMetadata().getNamespace() != null);
        }
        List<HasMetadata> prod = ManifestModel.parse(render(kustomize.get(), ROOT.resolve("overlays/prod")), "prod");
        assertThat(prod.stream().map(HasMetadata::getKind).collect(Collectors.toSet())).contains("Deployment",
                "HorizontalPodAutoscaler", "ScaledObject", "KafkaTopic", "ServiceMonitor", "PrometheusRule",
                "NetworkPolicy", "Ingress", "PodDisruptionBudget");
        assertThat(prod).filteredOn(r -> r.getKind().equals("ConfigMap"))
                .anyMatch(r -> r.getMetadata().getLabels() != null
                        && r.getMetadata().getLabels().containsKey("grafana_dashboard"));
    }

    // ---------------------------------------------------------------- the files a kustomization includes

    /** The resources a kustomization includes through its resources and components, without applying anything. */
    static final class Included {
        final List<HasMetadata> resources = new ArrayList<>();
        final List<Map<String, Object>> targets = new ArrayList<>();
        final List<Path> generatedFiles = new ArrayList<>();
    }

    static Included include(Path dir, List<String> errors) throws IOException {
        Included included = new Included();
        include(dir, included, errors);
        return included;
    }

    @SuppressWarnings("unchecked")
    private static void include(Path dir, Included included, List<String> errors) throws IOException {
        Map<String, Object> k = kustomization(dir);
        for (String key : List.of("resources", "components")) {
            for (String entry : (List<String>) k.getOrDefault(key, List.of())) {
                Path path = dir.resolve(entry).normalize();
                if (Files.isDirectory(path) && Files.exists(path.resolve("kustomization.yaml"))) {
                    include(path, included, errors);
                } else if (Files.isRegularFile(path) && key.equals("resources")) {
                    included.resources.addAll(ManifestModel.parse(Files.readString(path), path.toString()));
                } else {
                    errors.add(dir + ": " + key + " entry " + entry + " does not exist");
                }
            }
        }
        for (Map<String, Object> generator : (List<Map<String, Object>>) k.getOrDefault("configMapGenerator",
                List.of())) {
            for (String file : (List<String>) generator.getOrDefault("files", List.of())) {
                Path path = dir.resolve(file);
                if (Files.isRegularFile(path)) {
                    included.generatedFiles.add(path);
                } else {
                    errors.add(dir + ": configMapGenerator file " + file + " does not exist");
                }
            }
        }
        for (Map<String, Object> patch : (List<Map<String, Object>>) k.getOrDefault("patches", List.of())) {
            included.targets.add((Map<String, Object>) patch.getOrDefault("target", Map.of()));
        }
        for (Map<String, Object> replacement : (List<Map<String, Object>>) k.getOrDefault("replacements",
                List.of())) {
            included.targets.add((Map<String, Object>) replacement.get("source"));
            for (Map<String, Object> target : (List<Map<String, Object>>) replacement.get("targets")) {
                included.targets.add((Map<String, Object>) target.get("select"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kustomization(Path dir) throws IOException {
        return ManifestModel.YAML.readValue(dir.resolve("kustomization.yaml").toFile(), LinkedHashMap.class);
    }

    private static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(ROOT.resolve("overlays"))) {
            List<String> found = dirs.filter(Files::isDirectory).map(d -> "overlays/" + d.getFileName()).sorted()
                    .collect(Collectors.toList());
            assertThat(found).contains("overlays/dev", "overlays/prod");
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).sorted()
                    .collect(Collectors.toList());
        }
    }

    // ---------------------------------------------------------------- kustomize

    /** {@code kubectl kustomize} or {@code kustomize build}, whichever is on the PATH. */
    private static Optional<List<String>> kustomize() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "kubectl"))) {
                return Optional.of(List.of(Path.of(dir, "kubectl").toString(), "kustomize"));
            }
            if (Files.isExecutable(Path.of(dir, "kustomize"))) {
                return Optional.of(List.of(Path.of(dir, "kustomize").toString(), "build"));
            }
        }
        return Optional.empty();
    }

    private static String render(List<String> kustomize, Path dir) throws Exception {
        List<String> command = new ArrayList<>(kustomize);
        command.add(dir.toString());
        Path output = Files.createTempFile("kustomize-", ".yaml");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish within 120 s");
            }
            if (process.exitValue() != 0) {
                fail(command + " failed: " + stderr);
            }
            return Files.readString(output);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
