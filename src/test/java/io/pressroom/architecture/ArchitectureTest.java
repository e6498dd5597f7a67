package io.pressroom.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import io.pressroom.job.repository.JobEvent;
import io.pressroom.job.repository.RenderJob;
import io.pressroom.job.service.JobLedger;
import io.pressroom.job.service.JobTransitions;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * The picture of the README as rules: who may depend on whom, and who may write a job's state. A wrong import fails
 * the build here, with the offending class and line.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pressroom");

    /** Fields of a job that only the state machine's transitions may write. */
    private static final Set<String> STATE_FIELDS = Set.of("status", "attempt", "dispatchedAttempt", "maxAttempts",
            "deadlineAt", "nextAttemptAt", "startedAt", "finishedAt", "errorCode", "errorMessage");

    @Test
    void topLevelPackagesHaveNoCycles() {
        check(slices().matching("io.pressroom.(*)..").should().beFreeOfCycles());
    }

    @Test
    void layersInsideAFeatureHaveNoCycles() {
        check(slices().matching("io.pressroom.(*).(*)..").should().beFreeOfCycles());
    }

    @Test
    void theRendererNeverTouchesTheApiSideOrTheDatabase() {
        check(noClasses().that().resideInAPackage("io.pressroom.render..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pressroom.job..", "io.pressroom.project..",
                        "io.pressroom.deploy..", "io.pressroom.webhook..", "io.pressroom.auth..",
                        "io.pressroom.console..", "org.hibernate..",
                        "io.quarkus.hibernate..", "io.vertx.sqlclient..", "io.vertx.mutiny.sqlclient..",
                        "io.vertx.pgclient..", "io.vertx.mutiny.pgclient.."));
    }

    /** The console is a user interface over the services: nothing of the product depends on it. */
    @Test
    void nothingDependsOnTheConsole() {
        check(noClasses().that().resideOutsideOfPackage("io.pressroom.console..")
                .should().dependOnClassesThat().resideInAPackage("io.pressroom.console.."));
    }

    @Test
    void restResourcesGoThroughServices() {
        check(noClasses().that().resideInAPackage("..rest..")
                .should().dependOnClassesThat().areAssignableTo(PanacheRepositoryBase.class)
                .orShould().dependOnClassesThat().areAssignableTo(Emitter.class)
                .orShould().dependOnClassesThat().areAssignableTo(MutinyEmitter.class)
                .orShould().dependOnClassesThat().resideInAnyPackage("io.quarkus.hibernate.reactive.panache",
                        "org.hibernate..", "io.vertx.sqlclient..", "io.vertx.mutiny.sqlclient..",
                        "org.apache.kafka..", "io.smallrye.reactive.messaging.kafka.."));
    }

    @Test
    void theMessageContractDependsOnNeitherRole() {
        check(classes().that().resideInAPackage("io.pressroom.contract..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.pressroom.contract..", "java..",
                        "com.fasterxml.jackson.annotation..", "jakarta.validation..",
                        "org.eclipse.microprofile.openapi.annotations.."));
    }

    @Test
    void onlyTheTransitionsWriteAJobsState() {
        check(noClasses().that().doNotBelongToAnyOf(JobTransitions.class, RenderJob.class)
                .should().setFieldWhere(describe("a state field of RenderJob",
                        access -> access.getTargetOwner().isEquivalentTo(RenderJob.class)
                                && STATE_FIELDS.contains(access.getName())))
                .orShould().callMethodWhere(describe("a state change of RenderJob",
                        (JavaAccess<?> access) -> access.getTargetOwner().isEquivalentTo(RenderJob.class)
                                && !access.getName().equals("<init>"))));
    }

    @Test
    void onlyTheTransitionsWriteTheTimelineAndTheOutbox() {
        check(noClasses().that().doNotBelongToAnyOf(JobTransitions.class, JobLedger.class)
                .should().callMethodWhere(describe("JobLedger's writes",
                        (JavaAccess<?> access) -> access.getTargetOwner().isEquivalentTo(JobLedger.class)
                                && !access.getName().equals("<init>"))));
        check(noClasses().that().doNotBelongToAnyOf(JobLedger.class, JobEvent.class)
                .should().callMethod(JobEvent.class, "of", String.class, String.class, int.class, java.util.Map.class,
                        java.time.Instant.class));
    }

    /** SQL is invisible to the rules above: no statement outside the job service writes jobs or their timeline. */
    @Test
    void noSqlOutsideTheJobServiceWritesJobsOrTimelines() throws IOException {
        Pattern write = Pattern.compile(
                "(?i)(update\\s+render_jobs|insert\\s+into\\s+(render_jobs|job_events)|delete\\s+from\\s+(render_jobs|job_events))");
        Path main = Path.of("src/main/java");
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !file.startsWith(main.resolve("io/pressroom/job/service")))
                    .filter(file -> write.matcher(read(file)).find())
                    .toList();
        }
        assertThat(offenders).as("classes writing render_jobs or job_events with SQL").isEmpty();
    }

    /**
     * A primitive boolean query parameter would bypass {@link io.pressroom.common.StrictBooleans} (the REST layer
     * reads it with Boolean.valueOf, so ?sync=yes would quietly mean false): resources declare {@code Boolean}.
     */
    @Test
    void booleanQueryParametersAreReadStrictly() {
        List<String> offenders = MAIN.stream().flatMap(type -> type.getMethods().stream())
                .flatMap(method -> method.getParameters().stream())
                .filter(parameter -> parameter.isAnnotatedWith(QueryParam.class))
                .filter(parameter -> parameter.getRawType().isEquivalentTo(boolean.class))
                .map(parameter -> parameter.getOwner().getFullName()).toList();
        assertThat(offenders).as("methods with a primitive boolean @QueryParam").isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void check(ArchRule rule) {
        rule.check(MAIN);
    }
}
