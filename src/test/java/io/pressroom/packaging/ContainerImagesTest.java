package io.pressroom.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The container images as far as they can be checked without a container engine (none on the build machines): what
 * src/main/docker/Dockerfile says each target runs and holds, and what .dockerignore keeps out of the build context.
 * The Dockerfile is read by the small reader below (logical lines, stages, the chain of stages a target is built
 * on): no maintained Java library parses Dockerfiles, and these checks need only instructions and their arguments.
 */
class ContainerImagesTest {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile");
    private static final Path DOCKERIGNORE = Path.of(".dockerignore");
    private static final List<String> TARGETS = List.of("api", "renderer", "api-native", "renderer-native");
    private static final String UID = "185";

    private static Map<String, Stage> stages;
    private static List<String> ignore;

    @BeforeAll
    static void read() throws IOException {
        stages = Stage.parse(Files.readAllLines(DOCKERFILE));
        ignore = Files.readAllLines(DOCKERIGNORE).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).collect(Collectors.toList());
    }

    @Test
    void theFourTargetsExistAndTheJvmRendererIsTheDefault() {
        assertThat(stages).containsKeys(TARGETS.toArray(String[]::new));
        assertThat(new ArrayList<>(stages.keySet())).last().isEqualTo("renderer");
    }

    /** tini reaps Chromium's orphans and forwards SIGTERM to the application, which drains. */
    @ParameterizedTest
    @ValueSource(strings = { "api", "renderer", "api-native", "renderer-native" })
    void tiniIsPid1AndInstalled(String target) {
        List<String> entrypoint = json(last(target, "ENTRYPOINT"));
        assertThat(entrypoint).as(target + " ENTRYPOINT").startsWith("/usr/bin/tini", "--").hasSizeGreaterThan(2);
        assertThat(installed(target)).as(target + " packages").contains("tini");
    }

    @ParameterizedTest
    @ValueSource(strings = { "api", "renderer", "api-native", "renderer-native" })
    void theApplicationRunsAsUid185AfterEveryInstall(String target) {
        List<Instruction> own = stages.get(target).instructions;
        int user = lastIndex(own, "USER");
        assertThat(user).as(target + " sets USER itself").isNotNegative();
        assertThat(own.get(user).arguments).as(target + " USER").isIn(UID, UID + ":" + UID);
        assertThat(own.subList(user, own.size())).as(target + ": nothing runs as root after USER")
                .noneMatch(i -> i.keyword.equals("RUN"));
        assertThat(chain(target)).as(target + ": the user is made with uid and gid 185")
                .anyMatch(i -> i.keyword.equals("RUN") && i.arguments.contains("groupadd --gid " + UID)
                        && i.arguments.contains("useradd --uid " + UID + " --gid " + UID));
        assertThat(chain(target)).as(target + ": files are owned by 185").filteredOn(i -> i.keyword.equals("COPY"))
                .filteredOn(i -> i.arguments.contains("--from=")).allMatch(i -> i.arguments.contains("--chown=185:185"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "api", "renderer", "api-native", "renderer-native" })
    void everyImageProbesItselfAndCarriesTheOciLabels(String target) {
        assertThat(last(target, "HEALTHCHECK")).as(target + " HEALTHCHECK").contains("\"health\"");
        String labels = chain(target).stream().filter(i -> i.keyword.equals("LABEL")).map(i -> i.arguments)
                .collect(Collectors.joining(" "));
        for (String label : List.of("title", "source", "version", "licenses", "revision")) {
            assertThat(labels).as(target + " labels").contains("org.opencontainers.image." + label + "=");
        }
        for (String arg : List.of("VERSION", "REVISION", "SOURCE", "LICENSES")) {
            assertThat(labels).contains("${" + arg + "}");
            assertThat(chain(target)).anyMatch(i -> i.keyword.equals("ARG") && i.arguments.startsWith(arg + "="));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "renderer", "renderer-native" })
    void renderersHoldChromiumAndFontsForLatinCjkAndEmoji(String target) {
        assertThat(installed(target)).contains("chromium", "fonts-noto-core", "fonts-noto-cjk",
                "fonts-noto-color-emoji", "fonts-liberation");
    }

    @Test
    void oneNativeBuildServesBothRolesAndOneJvmBuildBoth() {
        List<Instruction> all = stages.values().stream().flatMap(s -> s.instructions.stream())
                .collect(Collectors.toList());
        assertThat(all).filteredOn(i -> i.keyword.equals("RUN") && i.arguments.contains("-Dnative")).hasSize(1);
        assertThat(stages.get("native-build").instructions).anyMatch(i -> i.arguments.contains("-Dnative"));
        for (String target : TARGETS) {
            String build = target.endsWith("-native") ? "native-build" : "jvm-build";
            assertThat(stages.get(target).instructions).as(target)
                    .anyMatch(i -> i.keyword.equals("COPY") && i.arguments.contains("--from=" + build + " "));
        }
    }

    /**
     * Both JVM images run the C1 compiler only, and so do the local run and the benchmark, whose figures
     * (docs/performance.md) are those of the images' settings.
     */
    @ParameterizedTest
    @ValueSource(strings = { "api", "renderer" })
    void theJvmImagesRunC1OnlyAsTheLocalRunAndTheBenchmarkDo(String target) throws IOException {
        assertThat(last(target, "ENV")).contains("JDK_JAVA_OPTIONS=").contains("-XX:TieredStopAtLevel=1");
        assertThat(Files.readString(Path.of("deploy/local/run.sh"))).contains("java -XX:TieredStopAtLevel=1 -jar");
        assertThat(Files.readString(Path.of("src/test/java/io/pressroom/bench/Benchmark.java")))
                .contains("List.of(\"-Xmx512m\", \"-XX:TieredStopAtLevel=1\")");
    }

    /**
     * Each JVM image makes its class data archive itself, for its own role, with the JVM it installed and the jar at
     * the path it runs it from (an archive fits only those), and starts the application and its probe with it.
     * {@code ClassArchiveIT} runs the same script and starts the application with what it makes.
     */
    @ParameterizedTest
    @ValueSource(strings = { "api", "renderer" })
    void theJvmImagesMakeTheirClassDataArchiveAndStartWithIt(String target) {
        List<Instruction> own = stages.get(target).instructions;
        int copyApp = indexOf(own, i -> i.keyword.equals("COPY") && i.arguments.endsWith("quarkus-app/ /deployments/"));
        int train = indexOf(own, i -> i.keyword.equals("RUN")
                && i.arguments.contains("class-archive.sh /deployments " + target + " /deployments/app.jsa"));
        int installJvm = indexOf(own, i -> i.keyword.equals("RUN") && i.arguments.contains("openjdk-17-jre-headless"));
        assertThat(installJvm).as(target + " installs its JVM").isNotNegative();
        assertThat(copyApp).as(target + " copies the application after its JVM").isGreaterThan(installJvm);
        assertThat(train).as(target + " trains after copying the application").isGreaterThan(copyApp);
        assertThat(own).as(target + " copies the script from the sources")
                .anyMatch(i -> i.keyword.equals("COPY") && i.arguments.contains("/code/src/main/docker/class-archive.sh"));

        List<String> java = List.of("java", "-XX:SharedArchiveFile=/deployments/app.jsa", "-jar",
                "/deployments/quarkus-run.jar");
        assertThat(json(last(target, "ENTRYPOINT"))).as(target + " ENTRYPOINT").containsSequence(java);
        assertThat(json(last(target, "HEALTHCHECK").replaceFirst("^.*? CMD ", ""))).as(target + " HEALTHCHECK")
                .containsSequence(java);
    }

    private static int indexOf(List<Instruction> instructions, Predicate<Instruction> wanted) {
        for (int i = 0; i < instructions.size(); i++) {
            if (wanted.test(instructions.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void noImageInstallsCurl() {
        assertThat(stages.values().stream().flatMap(s -> s.instructions.stream()))
                .noneMatch(i -> i.arguments.matches("(?s).*\\bcurl\\b.*"));
    }

    /** The local run's data dir (deploy/local/run.sh) holds the admin key: never in a build context. */
    @Test
    void theBuildContextLeavesOutTheLocalDataDirTargetGitAndIdeFiles() throws IOException {
        Matcher dataDir = Pattern.compile("PRESSROOM_DATA_DIR:-\\$REPO/([^}/]+)}")
                .matcher(Files.readString(Path.of("deploy/local/run.sh")));
        assertThat(dataDir.find()).as("the data dir's default in deploy/local/run.sh").isTrue();

        for (String path : List.of(dataDir.group(1) + "/admin-key", dataDir.group(1) + "/stack.env",
                "target/quarkus-app/quarkus-run.jar", "src/target/x.class", ".git/config", ".idea/workspace.xml",
                "pressroom.iml", ".vscode/settings.json", "deploy/local/run.sh", "k8s/20-api.yaml")) {
            assertThat(inContext(path)).as(path + " in the build context").isFalse();
        }
    }

    @Test
    void theBuildContextHoldsWhatTheDockerfileCopies() throws IOException {
        List<String> copied = stages.values().stream().flatMap(s -> s.instructions.stream())
                .filter(i -> i.keyword.equals("COPY") && !i.arguments.contains("--from=")).flatMap(i -> {
                    List<String> words = Arrays.stream(i.arguments.split("\\s+")).filter(w -> !w.startsWith("--"))
                            .collect(Collectors.toList());
                    return words.subList(0, words.size() - 1).stream();
                }).collect(Collectors.toList());
        assertThat(copied).contains("pom.xml", "src");
        for (String source : copied) {
            Path path = Path.of(source);
            assertThat(path).as(source + " exists").exists();
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    assertThat(inContext(file.toString())).as(file + " in the build context").isTrue();
                }
            }
        }
    }

    /**
     * Docker's rule: the last pattern that matches the path or one of its parent directories decides; {@code !}
     * lets in again. Java's glob is close enough to Go's {@code filepath.Match} for these patterns, except that
     * {@code **}{@code /} may also match no directory at all.
     */
    private static boolean inContext(String path) {
        boolean included = true;
        for (String line : ignore) {
            boolean exception = line.startsWith("!");
            String pattern = exception ? line.substring(1) : line;
            if (matchesOrParentMatches(pattern, path)
                    || pattern.startsWith("**/") && matchesOrParentMatches(pattern.substring(3), path)) {
                included = exception;
            }
        }
        return included;
    }

    private static boolean matchesOrParentMatches(String pattern, String path) {
        var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        for (Path prefix = Path.of(path); prefix != null; prefix = prefix.getParent()) {
            if (matcher.matches(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The instructions a target is built from: its base stages' first, its own last. */
    private static List<Instruction> chain(String target) {
        List<Instruction> instructions = new ArrayList<>();
        for (Stage stage = stages.get(target); stage != null; stage = stages.get(stage.from)) {
            instructions.addAll(0, stage.instructions);
        }
        return instructions;
    }

    private static String last(String target, String keyword) {
        List<Instruction> chain = chain(target);
        int index = lastIndex(chain, keyword);
        assertThat(index).as(target + " has " + keyword).isNotNegative();
        return chain.get(index).arguments;
    }

    private static int lastIndex(List<Instruction> instructions, String keyword) {
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (instructions.get(i).keyword.equals(keyword)) {
                return i;
            }
        }
        return -1;
    }

    /** The words after {@code apt-get install} in the target's chain. */
    private static List<String> installed(String target) {
        List<String> packages = new ArrayList<>();
        Pattern install = Pattern.compile("apt-get install ([^&;|]*)");
        for (Instruction instruction : chain(target)) {
            if (instruction.keyword.equals("RUN")) {
                Matcher matcher = install.matcher(instruction.arguments);
                while (matcher.find()) {
                    Arrays.stream(matcher.group(1).split("\\s+")).filter(w -> !w.isEmpty() && !w.startsWith("-"))
                            .forEach(packages::add);
                }
            }
        }
        return packages;
    }

    private static List<String> json(String array) {
        try {
            return new ObjectMapper().readValue(array, new TypeReference<List<String>>() {
            });
        } catch (IOException e) {
            throw new AssertionError("not the exec form (a JSON array): " + array, e);
        }
    }

    private static final class Instruction {
        final String keyword;
        final String arguments;

        Instruction(String keyword, String arguments) {
            this.keyword = keyword;
            this.arguments = arguments;
        }
    }

    private static final class Stage {
        final String from;
        final List<Instruction> instructions = new ArrayList<>();

        Stage(String from) {
            this.from = from;
        }

        /** Stages by name, in the file's order; comment lines are dropped, continued lines joined. */
        static Map<String, Stage> parse(List<String> lines) {
            Map<String, Stage> stages = new LinkedHashMap<>();
            Stage current = null;
            StringBuilder logical = new StringBuilder();
            for (String line : lines) {
                String trimmed = line.trim();
                if (trimmed.startsWith("#") || trimmed.isEmpty() && logical.length() == 0) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                    continue;
                }
                logical.append(trimmed);
                String[] parts = logical.toString().trim().split("\\s+", 2);
                logical.setLength(0);
                String keyword = parts[0].toUpperCase();
                String arguments = parts.length > 1 ? parts[1].replaceAll("\\s+", " ") : "";
                if (keyword.equals("FROM")) {
                    String[] words = arguments.split(" ");
                    assertThat(words).as("FROM <image> AS <name>: " + arguments).hasSize(3);
                    current = new Stage(words[0]);
                    stages.put(words[2], current);
                } else if (current != null) {
                    current.instructions.add(new Instruction(keyword, arguments));
                }
            }
            return stages;
        }
    }
}
