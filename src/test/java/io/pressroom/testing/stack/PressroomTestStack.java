package io.pressroom.testing.stack;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * PostgreSQL, Kafka and S3 for {@code @QuarkusTest}s: real servers on free ports, started in parallel, their
 * addresses handed to Pressroom as configuration. A test can stop and restart PostgreSQL or Kafka through a field
 * annotated with {@link InjectPostgresControl} or {@link InjectKafkaControl}.
 */
public class PressroomTestStack implements QuarkusTestResourceLifecycleManager {

    private PostgresServer postgres;
    private KafkaServer kafka;
    private S3Server s3;

    @Override
    public Map<String, String> start() {
        long started = System.nanoTime();
        postgres = new PostgresServer(0, null);
        kafka = new KafkaServer(0, null);
        s3 = new S3Server(0, null);
        Stack.startAll(postgres, kafka, s3);
        System.out.printf("Test stack up in %.1f s: PostgreSQL %s, Kafka %s, S3 %s%n", (System.nanoTime() - started) / 1e9,
                postgres.jdbcUrl(), kafka.bootstrapServers(), s3.endpoint());
        return config(postgres, kafka, s3);
    }

    @Override
    public void stop() {
        Stack.closeAll(s3, kafka, postgres);
    }

    /**
     * Pressroom's configuration for these servers, as Quarkus property names. {@link LocalStack} turns the same map
     * into environment variables, so tests and the local run configure Pressroom identically.
     */
    public static Map<String, String> config(PostgresServer postgres, KafkaServer kafka, S3Server s3) {
        return config(postgres, kafka.bootstrapServers(), s3);
    }

    /** The same for a Kafka given by its address (e.g. a {@link KafkaProcess}). */
    public static Map<String, String> config(PostgresServer postgres, String kafkaBootstrapServers, S3Server s3) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        config.put("quarkus.datasource.username", PostgresServer.USER);
        config.put("quarkus.datasource.password", PostgresServer.PASSWORD);
        config.put("kafka.bootstrap.servers", kafkaBootstrapServers);
        config.put("quarkus.s3.endpoint-override", s3.endpoint());
        config.put("quarkus.s3.aws.region", S3Server.REGION);
        config.put("quarkus.s3.aws.credentials.type", "static");
        config.put("quarkus.s3.aws.credentials.static-provider.access-key-id", S3Server.ACCESS_KEY);
        config.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", S3Server.SECRET_KEY);
        config.put("quarkus.s3.path-style-access", "true");
        S3Server.Tls tls = s3.tls();
        if (tls != null) {
            // the S3 client trusts the server's self-signed key (and only it), as it would a private CA's
            String trust = "quarkus.s3.sync-client.tls-trust-managers-provider.";
            config.put(trust + "type", "file-store");
            config.put(trust + "file-store.path", tls.keyStore().toString());
            config.put(trust + "file-store.type", "PKCS12");
            config.put(trust + "file-store.password", tls.password());
        }
        return config;
    }

    /**
     * The configuration of a packaged application (the prod profile, started by {@code AppProcess}): the stack's, the
     * admin key, and the secrets an API refuses to start without (fixed test values, never used anywhere else).
     */
    public static Map<String, String> packagedAppConfig(PostgresServer postgres, String kafkaBootstrapServers,
            S3Server s3, String adminKey) {
        Map<String, String> config = config(postgres, kafkaBootstrapServers, s3);
        config.put("pressroom.admin-key", adminKey);
        config.put("pressroom.downloads.signing-key", "sig_tests_signing_key_of_32_bytes_or_more");
        config.put("pressroom.webhooks.secret-key", "cHJlc3Nyb29tLXRlc3RzLW9ubHktd2ViaG9vay1rZXk=");
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        Consumer<Boolean> postgresRunning = running -> setRunning(postgres, running);
        injector.injectIntoFields(postgresRunning, field -> wantsControl(field, InjectPostgresControl.class));
        Consumer<Boolean> kafkaRunning = running -> setRunning(kafka, running);
        injector.injectIntoFields(kafkaRunning, field -> wantsControl(field, InjectKafkaControl.class));
    }

    private static void setRunning(StackServer server, Boolean running) {
        try {
            if (running) {
                server.start();
            } else {
                server.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not " + (running ? "start " : "stop ")
                    + server.getClass().getSimpleName(), e);
        }
    }

    // Compared by name: the test class may see another copy of the annotation type (another class loader).
    private static boolean wantsControl(Field field, Class<?> annotation) {
        boolean annotated = Arrays.stream(field.getAnnotations())
                .anyMatch(a -> a.annotationType().getName().equals(annotation.getName()));
        if (annotated && field.getType() != Consumer.class) {
            throw new IllegalStateException("@" + annotation.getSimpleName() + " field " + field
                    + " must be a Consumer<Boolean>");
        }
        return annotated;
    }
}
