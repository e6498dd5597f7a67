package io.pressroom.k8s;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Reads Kubernetes manifests into fabric8's Kubernetes model, strictly: a field the model does not know is an error,
 * not an entry of the model's catch-all {@code additionalProperties} map, and a repeated key is an error too. Kinds of
 * Kubernetes itself map to their typed classes; the custom resources Pressroom ships (KEDA, Strimzi, the Prometheus
 * Operator) have no model here and are read as {@link GenericKubernetesResource}; any other kind is an error.
 */
final class ManifestModel {

    /** The built-in kinds the manifests may use, by {@code apiVersion/kind}. */
    private static final Map<String, Class<? extends HasMetadata>> TYPED = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "networking.k8s.io/v1/Ingress", Ingress.class);

    /** Custom resources, read generically: their operators' CRDs are not on the classpath. */
    private static final List<String> CUSTOM = List.of("keda.sh/v1alpha1/ScaledObject", "kafka.strimzi.io/v1/KafkaTopic",
            "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PrometheusRule");

    /** YAML to trees, refusing repeated keys. */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Trees to the model, refusing unknown fields (fabric8 would keep them in additionalProperties). */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    if (annotated instanceof AnnotatedMember
                            && ((AnnotatedMember) annotated).getDeclaringClass() != GenericKubernetesResource.class) {
                        return false;
                    }
                    return super.hasAnySetter(annotated);
                }
            });

    private ManifestModel() {
    }

    /** Every document of a YAML text, as resources; {@code source} names the text in error messages. */
    static List<HasMetadata> parse(String yaml, String source) {
        List<HasMetadata> resources = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isMissingNode() || document.isEmpty()) {
                    continue;
                }
                resources.add(resource(document, source));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        return resources;
    }

    private static HasMetadata resource(JsonNode document, String source) throws IOException {
        String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> typed = TYPED.get(type);
        if (typed != null) {
            return STRICT.treeToValue(document, typed);
        }
        if (CUSTOM.contains(type)) {
            return STRICT.treeToValue(document, GenericKubernetesResource.class);
        }
        throw new IllegalArgumentException(source + ": unknown kind " + type);
    }
}
