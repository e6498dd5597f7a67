package io.pressroom.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The PostgreSQL switch reaches a {@code @QuarkusTest} (across Quarkus' class loaders) and really switches. */
@QuarkusTest
class PostgresControlTest {

    @InjectPostgresControl
    Consumer<Boolean> postgresRunning;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void stopsAndStartsPostgresWithItsData() throws Exception {
        execute("create table if not exists control_test (value int); insert into control_test values (7)");
        try {
            postgresRunning.accept(false);
            assertThatThrownBy(() -> execute("select 1")).isInstanceOf(SQLException.class);
        } finally {
            postgresRunning.accept(true);
        }
        assertThat(selectInt("select max(value) from control_test")).isEqualTo(7);
        execute("drop table control_test");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private int selectInt(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }
}
