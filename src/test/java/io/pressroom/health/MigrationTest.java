package io.pressroom.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The migrations build the whole schema on an empty database, and its constraints hold. */
@QuarkusTest
class MigrationTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void migrationsBuildTheSchemaOnAnEmptyDatabase() throws SQLException {
        String database = "empty_" + System.nanoTime();
        try (Connection admin = DriverManager.getConnection(url, user, password);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String freshUrl = url.substring(0, url.lastIndexOf('/') + 1) + database;
        var result = Flyway.configure().dataSource(freshUrl, user, password).locations("classpath:db/migration")
                .load().migrate();
        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isPositive();

        try (Connection db = DriverManager.getConnection(freshUrl, user, password);
                Statement statement = db.createStatement()) {
            assertThat(tables(db)).contains("projects", "api_keys", "deploys", "deploy_versions", "render_jobs",
                    "job_events", "outbox", "idempotency_records");
            statement.execute("INSERT INTO projects (id, name) VALUES ('prj_a', 'a')");
            statement.execute("INSERT INTO idempotency_records (project_id, idempotency_key, request_hash, expires_at)"
                    + " VALUES ('prj_a', 'k1', 'h', now() + interval '1 day')");
            assertThatThrownBy(() -> statement.execute(
                    "INSERT INTO idempotency_records (project_id, idempotency_key, request_hash, expires_at)"
                            + " VALUES ('prj_a', 'k1', 'other', now() + interval '1 day')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("duplicate key");
            statement.execute("INSERT INTO deploys (id, project_id, name, slug) VALUES ('dpl_a', 'prj_a', 'A', 'a')");
            assertThatThrownBy(() -> statement.execute(
                    "INSERT INTO deploys (id, project_id, name, slug) VALUES ('dpl_b', 'prj_a', 'B', 'a')"))
                    .hasMessageContaining("deploys_slug_unique");
            assertThatThrownBy(() -> statement.execute(
                    "INSERT INTO render_jobs (id, project_id, status) VALUES ('rj_a', 'prj_a', 'processing')"))
                    .hasMessageContaining("render_jobs_status_check");
            // a second run finds nothing to do
            assertThat(Flyway.configure().dataSource(freshUrl, user, password).load().migrate().migrationsExecuted)
                    .isZero();
        }
    }

    private static List<String> tables(Connection db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = db.getMetaData().getTables(null, "public", "%", new String[] { "TABLE" })) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }
}
