package io.pressroom.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pressroom.testing.AppProcess;
import io.pressroom.testing.stack.KafkaServer;
import io.pressroom.testing.stack.PostgresServer;
import io.pressroom.testing.stack.PressroomTestStack;
import io.pressroom.testing.stack.S3Server;
import io.pressroom.testing.stack.Stack;

/**
 * The JVM images' class data archive, made and used as {@code src/main/docker/Dockerfile} makes and uses it, on this
 * machine's JVM (Debian's JRE 17, the package the images install): {@code class-archive.sh} trains the packaged
 * application once per role and must leave an archive that a JVM maps, and the application started with its role's
 * archive, which the JVM is told it must map ({@code -Xshare:on}, so a refused archive fails the start instead of being
 * skipped), renders a job on the real stack. Run by failsafe after {@code package}; archives and logs in
 * {@code target/class-archive/}.
 */
class ClassArchiveIT {

    private static final Path SCRIPT = Path.of("src/main/docker/class-archive.sh").toAbsolutePath();
    private static final Path DIR = Path.of("target/class-archive").toAbsolutePath();
    private static final List<String> ROLES = List.of("api", "renderer");
    private static final String ADMIN_KEY = "pra_class_archive_admin_key";
    /** The script's own bound on a training start is 300 s; a hung one fails here first. */
    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private static final Map<String, Training> trainings = new LinkedHashMap<>();
    private static final List<AppProcess> processes = new ArrayList<>();
    private static PostgresServer postgres;
    private static KafkaServer kafka;
    private static S3Server s3;

    /** What one run of the script left: its status and output, and the archive. */
    private record Training(int status, String output, Path archive) {
    }

    @BeforeAll
    static void trainBothRoles() throws Exception {
        Files.createDirectories(DIR);
        Path appDir = AppProcess.jar().getParent();
        Map<String, Process> running = new LinkedHashMap<>();
        for (String role : ROLES) {
            Path output = DIR.resolve(role + "-training.out");
            running.put(role, new ProcessBuilder("sh", SCRIPT.toString(), appDir.toString(), role,
                    archive(role).toString()).redirectErrorStream(true).redirectOutput(output.toFile()).start());
        }
        for (var entry : running.entrySet()) {
            Process process = entry.getValue();
            boolean ended = process.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String output = Files.readString(DIR.resolve(entry.getKey() + "-training.out"), StandardCharsets.UTF_8);
            trainings.put(entry.getKey(), new Training(ended ? process.exitValue() : -1, output,
                    archive(entry.getKey())));
        }
    }

    @AfterAll
    static void stop() {
        processes.forEach(AppProcess::requestStop);
        processes.forEach(AppProcess::close);
        if (postgres != null) {
            Stack.closeAll(s3, kafka, postgres);
        }
    }

    @Test
    void eachRolesTrainingEndsOnItsOwnWithAnArchiveTheJvmMaps() throws IOException {
        for (String role : ROLES) {
            Training training = trainings.get(role);
            // the script exits 0 only when `java -Xshare:on -XX:SharedArchiveFile=… -jar …` accepted the archive
            assertThat(training.status()).as("%s training: %s", role, training.output()).isZero();
            assertThat(training.output()).contains("class data archive for role " + role);
            // a start that ended at once (a configuration error) leaves about 30 MB, the JDK's and Quarkus'
            // bootstrap; a training that got as far as the connections leaves 75-90 MB
            assertThat(Files.size(training.archive())).as(role + " archive size").isGreaterThan(60L << 20);
        }
    }

    @Test
    void theApplicationStartedWithItsRolesArchiveRendersAJob() throws Exception {
        for (String role : ROLES) {
            assertThat(trainings.get(role).status()).as(role + " training").isZero();
        }
        postgres = new PostgresServer(0, null);
        kafka = new KafkaServer(0, null);
        s3 = new S3Server(0, null);
        Stack.startAll(postgres, kafka, s3);
        Map<String, String> config = PressroomTestStack.packagedAppConfig(postgres, kafka.bootstrapServers(), s3,
                ADMIN_KEY);
        AppProcess api = start("api", config);
        AppProcess renderer = start("renderer", config);
        try {
            api.awaitReady(START_TIMEOUT);
            renderer.awaitReady(START_TIMEOUT);
        } catch (RuntimeException e) {
            System.out.println(api.tail(60));
            System.out.println(renderer.tail(60));
            throw e;
        }

        String projectId = api.call("POST", "/v1/projects", ADMIN_KEY, Map.of("name", "class-archive"), 201)
                .path("id").asText();
        String key = api.call("POST", "/v1/projects/" + projectId + "/keys", ADMIN_KEY,
                Map.of("name", "class-archive"), 201).path("key").asText();
        JsonNode done = api.call("POST", "/v1/render-jobs?sync=true", key,
                Map.of("html", "<h1>{{title}}</h1>", "payload", Map.of("title", "from archived classes")), 200);

        assertThat(done.at("/job/status").asText()).isEqualTo("succeeded");
        assertThat(done.at("/output/pageCount").asInt()).isEqualTo(1);
    }

    private static AppProcess start(String role, Map<String, String> common) throws IOException {
        Map<String, String> config = new LinkedHashMap<>(common);
        config.put("pressroom.role", role);
        config.put("pressroom.jobs.sync-wait-max", "60s");
        List<String> jvm = new ArrayList<>(AppProcess.TEST_JVM_OPTIONS);
        jvm.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive(role)));
        AppProcess process = AppProcess.start(role, config, DIR, jvm);
        processes.add(process);
        return process;
    }

    private static Path archive(String role) {
        return DIR.resolve(role + ".jsa");
    }
}
