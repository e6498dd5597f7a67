package io.pressroom.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The inputs of the native build, checked where no GraalVM exists: after
 * {@code ./mvnw verify -Dnative -Dquarkus.native.sources-only=true} (.ci/run, docs/operations.md) Quarkus has written
 * {@code target/native-sources/} — the arguments for {@code native-image}, the runner jar with the reflection and JNI
 * configuration it generated, the libraries. A native executable built from inputs that miss a class Jackson reads
 * by reflection starts fine and fails at the first CDP event it cannot read, so the configuration is asserted here,
 * class by class. Runs only in that build: a JVM build writes no native sources.
 */
@EnabledIfSystemProperty(named = "quarkus.native.sources-only", matches = "true")
class NativeSourcesIT {

    private static final String JVPPETEER = "com.ruiyun.jvppeteer.";
    private static final String REGISTRATION = "io.pressroom.render.browser.JvppeteerReflection";

    private static Path sources;
    private static Map<String, JsonNode> reflection;
    private static String jni;

    @BeforeAll
    static void read() throws IOException {
        sources = Path.of(System.getProperty("pressroom.native-sources", "target/native-sources"));
        assertThat(sources.resolve("native-image.args")).as("the native build's arguments").isRegularFile();
        try (Stream<Path> files = Files.list(sources)) {
            Path runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no runner jar in " + sources));
            try (JarFile jar = new JarFile(runner.toFile())) {
                reflection = new HashMap<>();
                for (JsonNode entry : json(jar, "META-INF/native-image/reflect-config.json")) {
                    reflection.put(entry.get("name").asText(), entry);
                }
                jni = json(jar, "META-INF/native-image/jni-config.json").toString();
            }
        }
    }

    @Test
    void theArgumentsNameTheRunnerAndTheLibrariesAreThere() throws IOException {
        String args = Files.readString(sources.resolve("native-image.args"));
        assertThat(args).contains("-runner.jar").contains("--no-fallback");
        assertThat(sources.resolve("graalvm.version")).isRegularFile();
        assertThat(sources.resolve("lib")).isDirectory();
    }

    /** Page previews rasterize with PDFBox through AWT (render.worker.PagePreviews): quarkus-awt's JNI set. */
    @Test
    void awtIsConfiguredForThePagePreviews() {
        assertThat(jni).as("JNI configuration of the native build").contains("sun.awt.");
    }

    /**
     * Every class jvppeteer reads a DevTools event or reply into, or writes a request from (the registration's
     * targets; JvppeteerReflectionTest keeps them complete), is open to reflection with its fields and constructors,
     * and so is every class such a class holds in a field, down to the last one.
     */
    @Test
    void everyClassJacksonReadsOrWritesForJvppeteerIsRegistered() throws ClassNotFoundException {
        RegisterForReflection registration = Class.forName(REGISTRATION).getAnnotation(RegisterForReflection.class);
        assertThat(registration).as(REGISTRATION + " carries @RegisterForReflection").isNotNull();
        List<Class<?>> roots = List.of(registration.targets());
        assertThat(roots).isNotEmpty();

        Set<String> missing = new TreeSet<>();
        for (Class<?> type : closure(roots)) {
            JsonNode entry = reflection.get(type.getName());
            if (entry == null || !entry.path("allDeclaredFields").asBoolean()
                    || !entry.path("allDeclaredConstructors").asBoolean()) {
                missing.add(type.getName());
            }
        }
        assertThat(missing).as("jvppeteer classes without reflection (fields and constructors) in the native build")
                .isEmpty();
    }

    /** The given classes and, transitively, the jvppeteer classes of their instance fields and superclasses. */
    static Set<Class<?>> closure(List<Class<?>> roots) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Type> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Type type = todo.removeFirst();
            if (type instanceof ParameterizedType) {
                ParameterizedType parameterized = (ParameterizedType) type;
                todo.add(parameterized.getRawType());
                todo.addAll(List.of(parameterized.getActualTypeArguments()));
            } else if (type instanceof GenericArrayType) {
                todo.add(((GenericArrayType) type).getGenericComponentType());
            } else if (type instanceof WildcardType) {
                todo.addAll(List.of(((WildcardType) type).getUpperBounds()));
            } else if (type instanceof Class) {
                Class<?> clazz = (Class<?>) type;
                if (clazz.isArray()) {
                    todo.add(clazz.getComponentType());
                } else if (clazz.getName().startsWith(JVPPETEER) && seen.add(clazz)) {
                    if (clazz.getGenericSuperclass() != null) {
                        todo.add(clazz.getGenericSuperclass());
                    }
                    for (Field field : clazz.getDeclaredFields()) {
                        if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
                            todo.add(field.getGenericType());
                        }
                    }
                }
            }
        }
        return seen;
    }

    private static JsonNode json(JarFile jar, String name) throws IOException {
        var entry = jar.getEntry(name);
        assertThat(entry).as(name + " in the runner jar").isNotNull();
        try (InputStream in = jar.getInputStream(entry)) {
            return new ObjectMapper().readTree(in);
        }
    }
}
