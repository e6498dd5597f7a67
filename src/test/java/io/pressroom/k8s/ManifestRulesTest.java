package io.pressroom.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * {@link ManifestsTest} can fail: each deliberately broken manifest below (the real base with one thing wrong) is
 * reported, with what is wrong, while the base as it is passes.
 */
class ManifestRulesTest {

    static final String HPA = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n";

    static String api;
    static String renderer;
    static String policies;
    static String rules;
    static String keda;
    static Set<String> metrics;

    @BeforeAll
    static void read() throws IOException {
        api = Files.readString(Path.of("k8s/base/api.yaml"));
        renderer = Files.readString(Path.of("k8s/base/renderer.yaml"));
        policies = Files.readString(Path.of("k8s/components/network-policies/network-policies.yaml"));
        rules = Files.readString(Path.of("k8s/components/monitoring/prometheus-rule.yaml"));
        keda = Files.readString(Path.of("k8s/components/keda/scaledobject.yaml"));
        metrics = ManifestRules.exportedMetrics(Path.of("src/main/java"));
    }

    @Test
    void theBaseAsItIsPasses() {
        assertThat(check(api, renderer, policies, rules, keda)).isEmpty();
    }

    @Test
    void replicasOnAnAutoscaledDeployment() {
        String broken = replace(api, "  selector:\n    matchLabels: {app.kubernetes.io/name: pressroom, "
                + "app.kubernetes.io/component: api}\n  strategy:",
                "  replicas: 2\n  selector:\n    matchLabels: "
                        + "{app.kubernetes.io/name: pressroom, app.kubernetes.io/component: api}\n  strategy:");
        assertThat(check(broken, renderer)).containsExactly(
                "Deployment pressroom-api: sets replicas although an autoscaler owns its scale (every apply would "
                        + "reset it)");
        // the renderer's autoscaler is KEDA's ScaledObject, a custom resource
        String scaled = replace(renderer, "  strategy:\n    type: RollingUpdate\n    rollingUpdate: {maxSurge: 1",
                "  replicas: 2\n  strategy:\n    type: RollingUpdate\n    rollingUpdate: {maxSurge: 1");
        assertThat(check(api, scaled, keda)).singleElement().asString().startsWith("Deployment pressroom-renderer: "
                + "sets replicas");
        assertThat(check(api, scaled)).as("without KEDA nothing else owns the renderers' scale").isEmpty();
    }

    @Test
    void anUnknownFieldDoesNotParse() {
        String broken = replace(renderer, "readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true");
        assertThatThrownBy(() -> ManifestModel.parse(broken, "broken.yaml"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broken.yaml")
                .hasMessageContaining("readOnlyRootFileSystem");
        assertThatThrownBy(() -> ManifestModel.parse(HPA + "metadata: {name: x}\nspec: {minReplica: 1}\n", "hpa"))
                .hasMessageContaining("minReplica");
    }

    @Test
    void anUnknownKindOrARepeatedKeyDoesNotParse() {
        assertThatThrownBy(() -> ManifestModel.parse(replace(api, "kind: Deployment", "kind: Deploymnet"), "k"))
                .hasMessageContaining("unknown kind apps/v1/Deploymnet");
        assertThatThrownBy(() -> ManifestModel.parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
                + "data: {A: x, A: y}\n", "dup")).hasMessageContaining("Duplicate field 'A'");
    }

    @Test
    void securityContextRules() {
        assertThat(check(replace(api, "runAsUser: 185 # the uid", "runAsUser: 1001 # the uid"), renderer))
                .as("the pod's uid counts when the container sets none")
                .isEmpty(); // the container sets 185 itself
        String root = api.replace("runAsUser: 185", "runAsUser: 0");
        assertThat(check(root, renderer)).contains("Deployment pressroom-api container api: runs as uid 0, not 185");
        assertThat(check(replace(renderer, "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"), api))
                .containsExactly("Deployment pressroom-renderer container renderer: has a writable root filesystem "
                        + "(readOnlyRootFilesystem must be true)");
        assertThat(check(replace(api, "drop: [ALL]", "drop: [NET_RAW]"), renderer))
                .containsExactly("Deployment pressroom-api container api: does not drop ALL capabilities");
        assertThat(check(replace(api, "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"),
                renderer)).containsExactly("Deployment pressroom-api container api: allows privilege escalation");
        assertThat(check(api.replace("seccompProfile: {type: RuntimeDefault}", "seccompProfile: {type: Unconfined}"),
                renderer)).containsExactly("Deployment pressroom-api container api: has seccomp profile Unconfined, "
                        + "not RuntimeDefault (or a Localhost profile)");
        assertThat(check(replace(renderer, "automountServiceAccountToken: false", "automountServiceAccountToken: true"), api))
                .containsExactly("Deployment pressroom-renderer: mounts a service-account token "
                        + "(automountServiceAccountToken must be false)");
    }

    @Test
    void probesTimeoutsAndGracePeriods() {
        assertThat(check(api, replace(renderer, "periodSeconds: 15, timeoutSeconds: 12", "periodSeconds: 10, "
                + "timeoutSeconds: 8"))).containsExactly("Deployment pressroom-renderer container renderer: "
                        + "readinessProbe timeoutSeconds 8 < its check's own timeout 10 s + 2 s");
        assertThat(check(api, replace(renderer, "path: /q/health/live, port: management", "path: /q/health/live, "
                + "port: http"))).containsExactly("Deployment pressroom-renderer container renderer: livenessProbe "
                        + "is not on port management");
        assertThat(check(api, replace(renderer, "terminationGracePeriodSeconds: 150", "terminationGracePeriodSeconds: "
                + "120"))).containsExactly("Deployment pressroom-renderer container renderer: has "
                        + "terminationGracePeriodSeconds 120 < shutdown-delay 3 + drain-timeout 130 + cleanup-timeout 5"
                        + " + consumer commit 5 = 143");
        // a drain time set in the environment counts instead of the default
        String longer = replace(renderer, "- {name: PRESSROOM_CHROMIUM_CONCURRENCY, value: \"2\"}",
                "- {name: PRESSROOM_CHROMIUM_CONCURRENCY, value: \"2\"}\n"
                        + "            - {name: PRESSROOM_CHROMIUM_DRAIN_TIMEOUT, value: 200s}");
        assertThat(check(api, longer)).singleElement().asString().contains("drain-timeout 200");
        assertThat(check(replace(api, "terminationGracePeriodSeconds: 35", "terminationGracePeriodSeconds: 20"),
                renderer)).containsExactly("Deployment pressroom-api container api: has terminationGracePeriodSeconds "
                        + "20 < preStop 5 + shutdown-delay 3 + shutdown-timeout 20 = 28");
        assertThat(check(replace(api, "lifecycle: {preStop: {sleep: {seconds: 5}}}", "lifecycle: {preStop: {sleep: "
                + "{seconds: 30}}}"), renderer)).contains("Deployment pressroom-api container api: has no short "
                        + "preStop sleep (1 to 10 s), found 30");
    }

    @Test
    void volumesAndSpread() {
        String shm = replace(renderer, "        - {name: home, emptyDir: {sizeLimit: 256Mi}}",
                "        - {name: home, emptyDir: {sizeLimit: 256Mi}}\n"
                        + "        - {name: dshm, emptyDir: {medium: Memory, sizeLimit: 512Mi}}");
        assertThat(check(api, shm)).containsExactly("Deployment pressroom-renderer: has volume dshm that no container "
                + "mounts");
        String mounted = replace(shm, "            - {name: home, mountPath: /home/pressroom}",
                "            - {name: home, mountPath: /home/pressroom}\n            - {name: dshm, mountPath: /dev/shm}");
        assertThat(check(api, mounted)).containsExactly("Deployment pressroom-renderer container renderer: mounts "
                + "/dev/shm, which Chromium does not use (it runs with --disable-dev-shm-usage)");
        String unspread = replace(api, "          topologyKey: topology.kubernetes.io/zone", "          topologyKey: "
                + "kubernetes.io/hostname");
        assertThat(check(unspread, renderer)).containsExactly("Deployment pressroom-api: has no "
                + "topologySpreadConstraint over topology.kubernetes.io/zone");
        assertThat(check(replace(api, "memory: 384Mi, ephemeral-storage: 256Mi}", "memory: 384Mi}"), renderer))
                .containsExactly("Deployment pressroom-api container api: requests no ephemeral-storage");
    }

    @Test
    void networkPolicies() {
        String internet = policies + "    - to:\n        - ipBlock: {cidr: 0.0.0.0/0}\n      ports: [{port: 443}]\n";
        assertThat(check(api, renderer, internet)).containsExactly("Deployment pressroom-renderer: may reach 0.0.0.0/0 "
                + "(NetworkPolicy pressroom-renderer): renderers reach Kafka, S3 and DNS only");
        String noDeny = policies.substring(policies.indexOf("---\n# Both roles"));
        assertThat(check(api, renderer, noDeny)).containsExactly(
                "Deployment pressroom-api: is selected by NetworkPolicies but by no default deny of both ingress and "
                        + "egress",
                "Deployment pressroom-renderer: is selected by NetworkPolicies but by no default deny of both ingress "
                        + "and egress");
    }

    @Test
    void alertsUseOnlyMetricsTheCodeExports() {
        String typo = replace(rules, "max(pressroom_outbox_oldest_seconds) > 60", "max(pressroom_outbox_age_seconds) "
                + "> 60");
        assertThat(check(api, renderer, typo)).containsExactly("PrometheusRule pressroom alert PressroomOutboxStuck: "
                + "uses metric pressroom_outbox_age_seconds, which the code does not export");
        String scaledTypo = replace(keda, "query: max(pressroom_outbox_held)", "query: max(pressroom_outbox_waiting)");
        assertThat(check(api, renderer, scaledTypo)).containsExactly("ScaledObject pressroom-renderer: uses metric "
                + "pressroom_outbox_waiting, which the code does not export");
        assertThat(ManifestRules.metricNames("sum by (channel) (pressroom_consumer_lag{channel=\"a b\"}) > 0 and "
                + "histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket[5m]))) > bool 1"))
                .containsExactly("pressroom_consumer_lag", "x_seconds_bucket");
    }

    @Test
    void kafkaAddressAndTopics() {
        String config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: pressroom-config}\n"
                + "data: {KAFKA_BOOTSTRAP_SERVERS: \"kafka:9092\"}\n";
        assertThat(check(true, api, renderer, keda, config)).contains("ScaledObject pressroom-renderer: reads Kafka at "
                + "set-from-pressroom-config, not the ConfigMap's KAFKA_BOOTSTRAP_SERVERS [kafka:9092]");
        String repeated = replace(keda, "bootstrapServers: set-from-pressroom-config", "bootstrapServers: kafka:9092");
        assertThat(check(api, renderer, repeated, config)).containsExactly("ScaledObject pressroom-renderer: repeats "
                + "the Kafka address kafka:9092 instead of taking it from the ConfigMap",
                "ScaledObject pressroom-renderer: repeats the Kafka address kafka:9092 instead of taking it from the "
                        + "ConfigMap");
        String topic = "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata: {name: t, namespace: kafka}\n"
                + "spec: {partitions: 1}\n";
        assertThat(check(api, renderer, topic)).containsExactly(
                "KafkaTopic t: has no strimzi.io/cluster label (the Topic Operator ignores it)",
                "KafkaTopic t: is pinned to namespace kafka");
    }

    // ----------------------------------------------------------------

    private static List<String> check(String... yaml) {
        return check(false, yaml);
    }

    private static List<String> check(boolean rendered, String... yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String text : yaml) {
            resources.addAll(ManifestModel.parse(text, "test"));
        }
        return ManifestRules.check(resources, metrics, rendered);
    }

    /** {@code text} with {@code from} replaced, which must be there: a broken test input must really be broken. */
    private static String replace(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }
}
