package io.pressroom.common;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.pressroom.config.PressroomConfig;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Creates the reactive PostgreSQL pool from Quarkus's options plus Pressroom's bounds
 * ({@code pressroom.database.*}): a {@code statement_timeout} on every connection, and a bounded wait for a
 * connection. Quarkus has no setting for the pool's wait (Vert.x {@link PoolOptions#setConnectionTimeout} and
 * {@link PoolOptions#setMaxWaitQueueSize}), so the pool is built here, through Quarkus's documented hook.
 */
@Singleton
public class DatabasePool implements PgPoolCreator {

    private final PressroomConfig.Database settings;

    public DatabasePool(PressroomConfig config) {
        this.settings = config.database();
    }

    @Override
    @SuppressWarnings("deprecation") // Quarkus still types its pool as PgPool
    public Pool create(Input input) {
        PoolOptions pool = input.poolOptions()
                .setConnectionTimeout((int) settings.poolWaitTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(settings.poolWaitQueueSize());
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            // a startup parameter: the server applies it to every statement of the session
            options.addProperty("statement_timeout", Long.toString(settings.statementTimeout().toMillis()));
        }
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), pool);
    }
}
