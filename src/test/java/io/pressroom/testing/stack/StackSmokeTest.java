package io.pressroom.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The servers behind the tests and the local run, each used for real (plain JUnit: no Quarkus involved). */
class StackSmokeTest {

    static PostgresServer postgres;
    static KafkaServer kafka;
    static S3Server s3;

    @BeforeAll
    static void startStack() {
        postgres = new PostgresServer(0, null);
        kafka = new KafkaServer(0, null);
        s3 = new S3Server(0, null);
        Stack.startAll(postgres, kafka, s3);
    }

    @AfterAll
    static void stopStack() {
        Stack.closeAll(s3, kafka, postgres);
        assertThat(postgres.dataDir()).doesNotExist();
        assertThat(kafka.logDir()).doesNotExist();
    }

    @Test
    void postgresAnswersAndKeepsItsDataAcrossARestartOnTheSamePort() throws Exception {
        assertThat(queryInt(postgres.jdbcUrl(), "select 1")).isEqualTo(1);
        execute(postgres.jdbcUrl(), "create table kept (value int); insert into kept values (42)");

        postgres.stop();
        assertThatThrownBy(() -> queryInt(postgres.jdbcUrl(), "select 1")).isInstanceOf(SQLException.class);
        postgres.start();

        assertThat(queryInt(postgres.jdbcUrl(), "select value from kept")).isEqualTo(42);
    }

    @Test
    void postgresKeepsEveryAcknowledgedCommitWhenItsProcessesAreKilled() throws Exception {
        execute(postgres.jdbcUrl(), "create table acknowledged (value int)");
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER,
                PostgresServer.PASSWORD); Statement statement = connection.createStatement()) {
            for (int i = 0; i < 50; i++) {
                statement.execute("insert into acknowledged values (" + i + ")"); // autocommit: one commit each
            }
            // at once, as a crash would: the postmaster and its backends, SIGKILL
            ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(
                    Files.readAllLines(postgres.dataDir().resolve("postmaster.pid")).get(0).trim())).orElseThrow();
            List<ProcessHandle> processes = new ArrayList<>(postmaster.descendants().toList());
            processes.add(postmaster);
            processes.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle process : processes) {
                process.onExit().get(10, TimeUnit.SECONDS);
            }
        }
        postgres.restart();

        assertThat(queryInt(postgres.jdbcUrl(), "select count(*) from acknowledged")).isEqualTo(50);
    }

    @Test
    void postgresCreatesAnEmptyDatabase() throws Exception {
        String url = postgres.createDatabase("smoke_empty");

        assertThat(url).isEqualTo(postgres.jdbcUrl("smoke_empty"));
        assertThat(queryInt(url, "select count(*) from pg_tables where schemaname = 'public'")).isZero();
    }

    @Test
    void kafkaCreatesATopicAndDeliversARecord() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("smoke", 1, (short) 1))).all().get();
        }
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("smoke", "key", "hello")).get();
        }

        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer())) {
            // assigned, not subscribed: no consumer group, so no group coordinator to wait for
            TopicPartition partition = new TopicPartition("smoke", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            for (int i = 0; i < 50 && records.isEmpty(); i++) {
                records = consumer.poll(Duration.ofMillis(200));
            }
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("hello");
        }
    }

    @Test
    void s3StoresAndReturnsAnObject() {
        byte[] content = "%PDF-1.7 smoke".getBytes(StandardCharsets.UTF_8);
        try (S3Client client = S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .region(Region.of(S3Server.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                .forcePathStyle(true)
                .httpClient(ApacheHttpClient.create())
                .build()) {
            client.createBucket(b -> b.bucket("smoke"));
            client.putObject(b -> b.bucket("smoke").key("a/b.pdf"), RequestBody.fromBytes(content));

            assertThat(client.getObjectAsBytes(b -> b.bucket("smoke").key("a/b.pdf")).asByteArray()).isEqualTo(content);
        }
    }

    private static int queryInt(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
