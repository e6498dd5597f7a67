package io.pressroom.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.WithDefault;

/**
 * What Pressroom's manifests must hold, as rules over a set of resources (one rendered overlay, or the files of one
 * kustomization read together): each broken rule is one line naming the resource. The settings the rules depend on
 * (drain and shutdown times, the longest render, the health checks' timeouts) are the defaults of
 * {@link PressroomConfig}, or the value a container sets in its environment.
 */
final class ManifestRules {

    /** The uid of both images (the JVM image's own). */
    static final long UID = 185;
    /** How much longer than a health check's own timeout its probe waits. */
    static final long PROBE_MARGIN_SECONDS = 2;
    /** Longest preStop sleep of the API: long enough for endpoints to update, short enough not to delay a roll. */
    static final long MAX_PRE_STOP_SECONDS = 10;
    /** A renderer's command consumer commits what it finished (docs/operations.md#shutdown). */
    static final long CONSUMER_COMMIT_SECONDS = 5;
    static final String MANAGEMENT = "management";
    static final int MANAGEMENT_PORT = 9000;
    /** Metrics of the frameworks that the rules may use besides Pressroom's own. */
    static final Set<String> FRAMEWORK_METRICS = Set.of("http_server_requests_seconds_count");
    /** Whether Chromium's shared memory is in /dev/shm: not when the code starts it with --disable-dev-shm-usage. */
    static final boolean CHROMIUM_USES_DEV_SHM = !read(
            Path.of("src/main/java/io/pressroom/render/browser/ChromiumProcess.java")).contains(
                    "\"--disable-dev-shm-usage\"");
    /** PromQL words that look like metric names. */
    private static final Set<String> PROMQL_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

    private final List<HasMetadata> resources;
    private final Set<String> metrics;
    private final boolean rendered;
    private final List<String> violations = new ArrayList<>();

    private ManifestRules(List<HasMetadata> resources, Set<String> metrics, boolean rendered) {
        this.resources = resources;
        this.metrics = metrics;
        this.rendered = rendered;
    }

    /**
     * The broken rules of a set of resources. {@code metrics} are the Prometheus names the code exports;
     * {@code rendered} says whether kustomize has rendered the set (then references between resources must resolve,
     * and values a replacement fills in must be filled in).
     */
    static List<String> check(List<HasMetadata> resources, Set<String> metrics, boolean rendered) {
        ManifestRules rules = new ManifestRules(resources, metrics, rendered);
        rules.run();
        return rules.violations;
    }

    private void run() {
        Set<String> autoscaled = autoscaledDeployments();
        for (Deployment deployment : all(Deployment.class)) {
            String name = "Deployment " + deployment.getMetadata().getName();
            if (autoscaled.contains(deployment.getMetadata().getName()) && deployment.getSpec().getReplicas() != null) {
                fail(name, "sets replicas although an autoscaler owns its scale (every apply would reset it)");
            }
            pod(name, deployment.getSpec().getTemplate().getSpec());
        }
        networkPolicies();
        for (GenericKubernetesResource rule : generic("PrometheusRule")) {
            for (Object group : raw(rule.get("spec", "groups"))) {
                for (Object entry : raw(((Map<?, ?>) group).get("rules"))) {
                    Map<?, ?> map = (Map<?, ?>) entry;
                    queries("PrometheusRule " + rule.getMetadata().getName() + " alert " + map.get("alert"),
                            List.of(String.valueOf(map.get("expr"))));
                }
            }
        }
        for (ConfigMap map : all(ConfigMap.class)) {
            if (map.getMetadata().getLabels() != null && map.getMetadata().getLabels().containsKey("grafana_dashboard")) {
                map.getData().forEach((key, json) -> queries("ConfigMap " + map.getMetadata().getName() + " " + key,
                        dashboardQueries(json)));
            }
        }
        serviceMonitors();
        scaledObjects();
        topics();
        if (rendered) {
            references();
        }
    }

    // ---------------------------------------------------------------- pods

    private void pod(String name, PodSpec pod) {
        if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
            fail(name, "mounts a service-account token (automountServiceAccountToken must be false)");
        }
        Set<String> keys = Optional.ofNullable(pod.getTopologySpreadConstraints()).orElse(List.of()).stream()
                .map(TopologySpreadConstraint::getTopologyKey).collect(Collectors.toSet());
        for (String key : List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone")) {
            if (!keys.contains(key)) {
                fail(name, "has no topologySpreadConstraint over " + key);
            }
        }
        Set<String> mounted = new LinkedHashSet<>();
        for (Container container : Stream.concat(list(pod.getInitContainers()).stream(),
                list(pod.getContainers()).stream()).collect(Collectors.toList())) {
            String where = name + " container " + container.getName();
            security(where, pod.getSecurityContext(), container.getSecurityContext());
            container(where, container, pod);
            list(container.getVolumeMounts()).forEach(mount -> mounted.add(mount.getName()));
        }
        for (Volume volume : list(pod.getVolumes())) {
            if (!mounted.contains(volume.getName())) {
                fail(name, "has volume " + volume.getName() + " that no container mounts");
            }
        }
    }

    private void security(String where, PodSecurityContext pod, SecurityContext container) {
        PodSecurityContext p = pod == null ? new PodSecurityContext() : pod;
        SecurityContext c = container == null ? new SecurityContext() : container;
        Long uid = c.getRunAsUser() != null ? c.getRunAsUser() : p.getRunAsUser();
        if (uid == null || uid != UID) {
            fail(where, "runs as uid " + uid + ", not " + UID);
        }
        Boolean nonRoot = c.getRunAsNonRoot() != null ? c.getRunAsNonRoot() : p.getRunAsNonRoot();
        if (!Boolean.TRUE.equals(nonRoot)) {
            fail(where, "does not set runAsNonRoot: true");
        }
        if (!Boolean.TRUE.equals(c.getReadOnlyRootFilesystem())) {
            fail(where, "has a writable root filesystem (readOnlyRootFilesystem must be true)");
        }
        if (!Boolean.FALSE.equals(c.getAllowPrivilegeEscalation())) {
            fail(where, "allows privilege escalation");
        }
        List<String> dropped = Optional.ofNullable(c.getCapabilities()).map(Capabilities::getDrop).orElse(List.of());
        if (!dropped.contains("ALL")) {
            fail(where, "does not drop ALL capabilities");
        }
        String seccomp = c.getSeccompProfile() != null ? c.getSeccompProfile().getType()
                : p.getSeccompProfile() != null ? p.getSeccompProfile().getType() : null;
        if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
            fail(where, "has seccomp profile " + seccomp + ", not RuntimeDefault (or a Localhost profile)");
        }
    }

    private void container(String where, Container container, PodSpec pod) {
        boolean management = list(container.getPorts()).stream().anyMatch(
                port -> MANAGEMENT.equals(port.getName()) && port.getContainerPort() == MANAGEMENT_PORT);
        if (!management) {
            fail(where, "declares no port named " + MANAGEMENT + " (" + MANAGEMENT_PORT + ")");
        }
        probe(where, "startupProbe", container.getStartupProbe(), "/q/health/started");
        probe(where, "readinessProbe", container.getReadinessProbe(), "/q/health/ready");
        probe(where, "livenessProbe", container.getLivenessProbe(), "/q/health/live");
        Map<String, Quantity> requests = container.getResources() == null ? null
                : container.getResources().getRequests();
        if (requests == null || !requests.containsKey("ephemeral-storage")) {
            fail(where, "requests no ephemeral-storage");
        }
        boolean tmp = list(container.getVolumeMounts()).stream().map(VolumeMount::getMountPath)
                .anyMatch("/tmp"::equals);
        if (!tmp) {
            fail(where, "has no writable /tmp (java.io.tmpdir) on its read-only root");
        }
        for (VolumeMount mount : list(container.getVolumeMounts())) {
            if ("/dev/shm".equals(mount.getMountPath()) && !CHROMIUM_USES_DEV_SHM) {
                fail(where, "mounts /dev/shm, which Chromium does not use (it runs with --disable-dev-shm-usage)");
            }
            Optional<Volume> volume = list(pod.getVolumes()).stream()
                    .filter(v -> v.getName().equals(mount.getName())).findFirst();
            if (volume.isEmpty()) {
                fail(where, "mounts volume " + mount.getName() + " that the pod does not define");
            } else if (volume.get().getEmptyDir() != null && volume.get().getEmptyDir().getSizeLimit() == null) {
                fail(where, "mounts emptyDir " + mount.getName() + " without a sizeLimit");
            }
        }
        String role = env(container, "PRESSROOM_ROLE").orElse(null);
        long grace = Optional.ofNullable(pod.getTerminationGracePeriodSeconds()).orElse(30L);
        long shutdownDelay = setting(container, PressroomConfig.Http.class, "pressroom.http.shutdown-delay");
        if ("renderer".equals(role)) {
            long health = setting(container, PressroomConfig.Chromium.class, "pressroom.chromium.health-timeout");
            readiness(where, container, health);
            long drain = setting(container, PressroomConfig.Chromium.class, "pressroom.chromium.drain-timeout");
            long render = setting(container, PressroomConfig.Chromium.class, "pressroom.chromium.max-render-timeout");
            long cleanup = setting(container, PressroomConfig.Chromium.class, "pressroom.chromium.cleanup-timeout");
            if (drain <= render) {
                fail(where, "drains for " + drain + " s, not longer than the longest render (" + render + " s)");
            }
            long needed = shutdownDelay + drain + cleanup + CONSUMER_COMMIT_SECONDS;
            if (grace < needed) {
                fail(where, "has terminationGracePeriodSeconds " + grace + " < shutdown-delay " + shutdownDelay
                        + " + drain-timeout " + drain + " + cleanup-timeout " + cleanup + " + consumer commit "
                        + CONSUMER_COMMIT_SECONDS + " = " + needed);
            }
        } else if ("api".equals(role)) {
            // the API's readiness is PostgreSQL's check, bounded by the same health timeout as the dependency checks
            long health = setting(container, PressroomConfig.Kafka.class, "pressroom.kafka.health-timeout");
            readiness(where, container, health);
            long preStop = preStopSeconds(container);
            if (preStop <= 0 || preStop > MAX_PRE_STOP_SECONDS) {
                fail(where, "has no short preStop sleep (1 to " + MAX_PRE_STOP_SECONDS + " s), found " + preStop);
            }
            long timeout = setting(container, PressroomConfig.Http.class, "pressroom.http.shutdown-timeout");
            long needed = preStop + shutdownDelay + timeout;
            if (grace < needed) {
                fail(where, "has terminationGracePeriodSeconds " + grace + " < preStop " + preStop
                        + " + shutdown-delay " + shutdownDelay + " + shutdown-timeout " + timeout + " = " + needed);
            }
        } else {
            fail(where, "sets no PRESSROOM_ROLE (api or renderer)");
        }
    }

    private void probe(String where, String kind, Probe probe, String path) {
        if (probe == null || probe.getHttpGet() == null) {
            fail(where, "has no httpGet " + kind);
            return;
        }
        IntOrString port = probe.getHttpGet().getPort();
        if (port == null || !MANAGEMENT.equals(port.getStrVal())) {
            fail(where, kind + " is not on port " + MANAGEMENT);
        }
        if (!path.equals(probe.getHttpGet().getPath())) {
            fail(where, kind + " asks " + probe.getHttpGet().getPath() + ", not " + path);
        }
    }

    private void readiness(String where, Container container, long healthTimeout) {
        Probe readiness = container.getReadinessProbe();
        long timeout = readiness == null || readiness.getTimeoutSeconds() == null ? 1 : readiness.getTimeoutSeconds();
        if (timeout < healthTimeout + PROBE_MARGIN_SECONDS) {
            fail(where, "readinessProbe timeoutSeconds " + timeout + " < its check's own timeout " + healthTimeout
                    + " s + " + PROBE_MARGIN_SECONDS + " s");
        }
    }

    private static long preStopSeconds(Container container) {
        if (container.getLifecycle() == null || container.getLifecycle().getPreStop() == null) {
            return 0;
        }
        var preStop = container.getLifecycle().getPreStop();
        if (preStop.getSleep() != null) {
            return preStop.getSleep().getSeconds();
        }
        if (preStop.getExec() != null) {
            List<String> command = preStop.getExec().getCommand();
            if (command.size() == 2 && command.get(0).endsWith("sleep")) {
                return Long.parseLong(command.get(1));
            }
        }
        return 0;
    }

    private static Optional<String> env(Container container, String name) {
        return list(container.getEnv()).stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .filter(Objects::nonNull).findFirst();
    }

    /**
     * A duration setting in whole seconds (rounded up): the container's environment variable if it sets one, else the
     * {@code @WithDefault} of the config method.
     */
    static long setting(Container container, Class<?> group, String key) {
        String variable = key.toUpperCase().replace('.', '_').replace('-', '_');
        String value = env(container, variable).orElseGet(() -> defaultOf(group, key));
        Duration duration = DurationConverter.parseDuration(value);
        return (duration.toMillis() + 999) / 1000;
    }

    private static String defaultOf(Class<?> group, String key) {
        String leaf = key.substring(key.lastIndexOf('.') + 1);
        StringBuilder method = new StringBuilder();
        for (String part : leaf.split("-")) {
            method.append(method.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        try {
            Method m = group.getMethod(method.toString());
            return m.getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no setting " + key + " in " + group.getName(), e);
        }
    }

    // ---------------------------------------------------------------- autoscaling, monitoring, topics

    private Set<String> autoscaledDeployments() {
        Set<String> names = new TreeSet<>();
        for (HorizontalPodAutoscaler hpa : all(HorizontalPodAutoscaler.class)) {
            if ("Deployment".equals(hpa.getSpec().getScaleTargetRef().getKind())) {
                names.add(hpa.getSpec().getScaleTargetRef().getName());
            }
        }
        for (GenericKubernetesResource scaled : generic("ScaledObject")) {
            Object kind = scaled.get("spec", "scaleTargetRef", "kind");
            if (kind == null || "Deployment".equals(kind)) {
                names.add(String.valueOf(scaled.<Object> get("spec", "scaleTargetRef", "name")));
            }
        }
        return names;
    }

    private void scaledObjects() {
        Set<String> kafka = all(ConfigMap.class).stream().map(ConfigMap::getData).filter(Objects::nonNull)
                .map(data -> data.get("KAFKA_BOOTSTRAP_SERVERS")).filter(Objects::nonNull).collect(Collectors.toSet());
        for (GenericKubernetesResource scaled : generic("ScaledObject")) {
            String name = "ScaledObject " + scaled.getMetadata().getName();
            Object target = scaled.get("spec", "scaleTargetRef", "name");
            if (rendered && !names(Deployment.class).contains(String.valueOf(target))) {
                fail(name, "scales Deployment " + target + ", which does not exist");
            }
            for (Object trigger : raw(scaled.get("spec", "triggers"))) {
                Map<?, ?> metadata = (Map<?, ?>) ((Map<?, ?>) trigger).get("metadata");
                if ("prometheus".equals(((Map<?, ?>) trigger).get("type")) && metadata != null) {
                    queries(name, List.of(String.valueOf(metadata.get("query"))));
                }
                Object servers = metadata == null ? null : metadata.get("bootstrapServers");
                if (servers != null && rendered && !kafka.contains(String.valueOf(servers))) {
                    fail(name, "reads Kafka at " + servers + ", not the ConfigMap's KAFKA_BOOTSTRAP_SERVERS " + kafka);
                }
                if (servers != null && !rendered && kafka.contains(String.valueOf(servers))) {
                    fail(name, "repeats the Kafka address " + servers + " instead of taking it from the ConfigMap");
                }
            }
        }
    }

    private void topics() {
        for (GenericKubernetesResource topic : generic("KafkaTopic")) {
            String name = "KafkaTopic " + topic.getMetadata().getName();
            Map<String, String> labels = topic.getMetadata().getLabels();
            if (labels == null || !labels.containsKey("strimzi.io/cluster")) {
                fail(name, "has no strimzi.io/cluster label (the Topic Operator ignores it)");
            }
            if (!rendered && topic.getMetadata().getNamespace() != null) {
                fail(name, "is pinned to namespace " + topic.getMetadata().getNamespace());
            }
        }
    }

    private void serviceMonitors() {
        for (GenericKubernetesResource monitor : generic("ServiceMonitor")) {
            String name = "ServiceMonitor " + monitor.getMetadata().getName();
            for (Object endpoint : raw(monitor.get("spec", "endpoints"))) {
                Map<?, ?> map = (Map<?, ?>) endpoint;
                if (!MANAGEMENT.equals(map.get("port")) || !"/q/metrics".equals(map.get("path"))) {
                    fail(name, "scrapes " + map.get("port") + map.get("path") + ", not " + MANAGEMENT + "/q/metrics");
                }
            }
            Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
            for (Service service : all(Service.class)) {
                if (selects(selector, service.getMetadata().getLabels()) && service.getSpec().getPorts().stream()
                        .map(ServicePort::getName).noneMatch(MANAGEMENT::equals)) {
                    fail(name, "selects Service " + service.getMetadata().getName() + " that has no port "
                            + MANAGEMENT);
                }
            }
        }
    }

    /** Every metric a PromQL query names must be one the code exports (or a framework's, listed). */
    private void queries(String where, Collection<String> queries) {
        for (String query : queries) {
            for (String metric : metricNames(query)) {
                if (!metrics.contains(metric) && !FRAMEWORK_METRICS.contains(metric)) {
                    fail(where, "uses metric " + metric + ", which the code does not export");
                }
            }
        }
    }

    /** The metric names in a PromQL expression (without functions, label matchers, grouping labels or keywords). */
    static Set<String> metricNames(String query) {
        String bare = query.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (matcher.group(2) == null && !PROMQL_KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** The {@code expr} of every target of a Grafana dashboard. */
    static List<String> dashboardQueries(String json) {
        List<String> queries = new ArrayList<>();
        try {
            new ObjectMapper().readTree(json).findValues("expr").forEach(node -> queries.add(node.asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queries;
    }

    /**
     * The Prometheus names of the meters registered in the code under {@code sources}: Micrometer's
     * {@code pressroom.a.b} is {@code pressroom_a_b}, a counter adds {@code _total}, a timer is in seconds with
     * {@code _count}, {@code _sum}, {@code _max} and {@code _bucket} series.
     */
    static Set<String> exportedMetrics(Path sources) {
        Pattern meter = Pattern.compile(
                "(Counter\\.builder|\\.counter|Gauge\\.builder|Timer\\.builder)\\(\"(pressroom[._][a-z0-9._]+)\"");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
                Matcher matcher = meter.matcher(Files.readString(file));
                while (matcher.find()) {
                    String name = matcher.group(2).replace('.', '_');
                    if (matcher.group(1).endsWith("ounter.builder") || matcher.group(1).equals(".counter")) {
                        names.add(name + "_total");
                    } else if (matcher.group(1).startsWith("Timer")) {
                        for (String suffix : List.of("_count", "_sum", "_max", "_bucket")) {
                            names.add(name + "_seconds" + suffix);
                        }
                    } else {
                        names.add(name);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    // ---------------------------------------------------------------- network policies

    private void networkPolicies() {
        List<NetworkPolicy> policies = all(NetworkPolicy.class);
        if (policies.isEmpty()) {
            return;
        }
        for (Deployment deployment : all(Deployment.class)) {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            String name = "Deployment " + deployment.getMetadata().getName();
            List<NetworkPolicy> selecting = policies.stream()
                    .filter(p -> selects(p.getSpec().getPodSelector(), labels)).collect(Collectors.toList());
            if (selecting.isEmpty()) {
                continue;
            }
            boolean denyIn = selecting.stream().anyMatch(p -> denies(p, "Ingress"));
            boolean denyOut = selecting.stream().anyMatch(p -> denies(p, "Egress"));
            if (!denyIn || !denyOut) {
                fail(name, "is selected by NetworkPolicies but by no default deny of both ingress and egress");
            }
            if ("renderer".equals(labels.get("app.kubernetes.io/component"))) {
                for (NetworkPolicy policy : selecting) {
                    for (NetworkPolicyEgressRule rule : list(policy.getSpec().getEgress())) {
                        if (list(rule.getTo()).isEmpty()) {
                            fail(name, "may reach any address (NetworkPolicy " + policy.getMetadata().getName()
                                    + " has an egress rule without 'to')");
                        }
                        for (NetworkPolicyPeer peer : list(rule.getTo())) {
                            if (peer.getIpBlock() != null) {
                                fail(name, "may reach " + peer.getIpBlock().getCidr() + " (NetworkPolicy "
                                        + policy.getMetadata().getName() + "): renderers reach Kafka, S3 and DNS only");
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean denies(NetworkPolicy policy, String type) {
        boolean typed = list(policy.getSpec().getPolicyTypes()).contains(type);
        boolean empty = "Ingress".equals(type) ? list(policy.getSpec().getIngress()).isEmpty()
                : list(policy.getSpec().getEgress()).isEmpty();
        return typed && empty;
    }

    // ---------------------------------------------------------------- references (rendered)

    private void references() {
        Set<String> configMaps = names(ConfigMap.class);
        Map<String, Set<String>> servicePorts = new HashMap<>();
        for (Service service : all(Service.class)) {
            servicePorts.put(service.getMetadata().getName(), service.getSpec().getPorts().stream()
                    .map(ServicePort::getName).collect(Collectors.toSet()));
            Map<String, String> selector = service.getSpec().getSelector();
            boolean matched = all(Deployment.class).stream().anyMatch(d -> selector != null
                    && selects(selector, d.getSpec().getTemplate().getMetadata().getLabels()));
            if (!matched) {
                fail("Service " + service.getMetadata().getName(), "selects no Deployment's pods");
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                boolean declared = all(Deployment.class).stream()
                        .filter(d -> selects(selector, d.getSpec().getTemplate().getMetadata().getLabels()))
                        .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                        .flatMap(c -> list(c.getPorts()).stream()).map(ContainerPort::getName)
                        .anyMatch(n -> Objects.equals(n, port.getTargetPort().getStrVal()));
                if (!declared) {
                    fail("Service " + service.getMetadata().getName(),
                            "targets port " + port.getTargetPort() + " that its pods do not declare");
                }
            }
        }
        for (Deployment deployment : all(Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvFromSource from : list(container.getEnvFrom())) {
                    if (from.getConfigMapRef() != null && !configMaps.contains(from.getConfigMapRef().getName())) {
                        fail("Deployment " + deployment.getMetadata().getName(),
                                "reads ConfigMap " + from.getConfigMapRef().getName() + ", which does not exist");
                    }
                }
            }
        }
        for (Ingress ingress : all(Ingress.class)) {
            ingress.getSpec().getRules().stream().flatMap(r -> r.getHttp().getPaths().stream())
                    .map(p -> p.getBackend().getService()).forEach(backend -> {
                        Set<String> ports = servicePorts.get(backend.getName());
                        if (ports == null || !ports.contains(backend.getPort().getName())) {
                            fail("Ingress " + ingress.getMetadata().getName(), "routes to " + backend.getName()
                                    + ":" + backend.getPort().getName() + ", which does not exist");
                        }
                    });
        }
    }

    // ---------------------------------------------------------------- helpers

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        return selector != null && selects(selector.getMatchLabels(), labels);
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        Map<String, String> own = labels == null ? Map.of() : labels;
        return (selector == null ? Map.<String, String> of() : selector).entrySet().stream()
                .allMatch(e -> e.getValue().equals(own.get(e.getKey())));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    private <T extends HasMetadata> Set<String> names(Class<T> type) {
        return all(type).stream().map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
    }

    private List<GenericKubernetesResource> generic(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind()))
                .collect(Collectors.toList());
    }

    private static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : value;
    }

    /** A list inside a custom resource's (untyped) content. */
    private static List<?> raw(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    private void fail(String where, String what) {
        violations.add(where + ": " + what);
    }
}
