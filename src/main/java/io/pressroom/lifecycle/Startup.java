package io.pressroom.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import io.pressroom.config.PressroomConfig;
import io.pressroom.project.service.ProjectService;
import io.pressroom.storage.ObjectStorage;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;

/**
 * What a process does before it serves: the API role migrates the schema (Flyway over JDBC, the only JDBC use)
 * and creates the bootstrap project; every role makes sure the bucket exists when asked to. A renderer never
 * touches the database.
 */
@ApplicationScoped
public class Startup {

    private static final Logger LOG = Logger.getLogger(Startup.class);

    void onStart(@Observes StartupEvent event, PressroomConfig config, Instance<Flyway> flyway, ObjectStorage storage,
            ProjectService projects) throws Throwable {
        LOG.infof("Pressroom starting in role %s", config.role());
        if (config.role().runsApi()) {
            var result = flyway.get().migrate();
            LOG.infof("Database schema at version %s (%d migrations applied)", result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
        if (config.storage().createBucket()) {
            storage.ensureBucket();
        }
        if (config.role().runsApi() && config.bootstrap().projectKey().isPresent()) {
            boolean created = VertxContextSupport.subscribeAndAwait(() -> projects
                    .ensureBootstrapKey(config.bootstrap().projectName(), config.bootstrap().projectKey().get()));
            if (created) {
                LOG.infof("Created the bootstrap project '%s' and its key", config.bootstrap().projectName());
            }
        }
    }
}
