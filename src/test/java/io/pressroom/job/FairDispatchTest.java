package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Render slots are shared between projects (fair dispatch, {@code pressroom.jobs.dispatch-window}): a project with a
 * long backlog of slow jobs makes neither another project's jobs nor its own priority job (each queue has a window of
 * its own) wait behind all of it.
 * The tests run with two render slots; each job of a backlog holds one for 1 s, so a backlog of 20 takes some 12 s.
 */
@QuarkusTest
@TestProfile(FairDispatchTest.SmallWindow.class)
class FairDispatchTest {

    /** The default window (the test profile's is wide: see application.properties). */
    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pressroom.jobs.dispatch-window", "4");
        }
    }

    private static final List<String> ENDED = List.of("succeeded", "failed", "cancelled");

    @Test
    void otherProjectsJobsTakeTurnsWithABacklog() {
        TestProject busy = Api.newProject();
        TestProject neighbour = Api.newProject();
        TestProject another = Api.newProject();
        List<String> backlog = backlog(busy, 20);
        List<String> neighbours = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            neighbours.add(create(neighbour, Map.of("html", "<p>neighbour {{n}}</p>", "payload", Map.of("n", i),
                    "options", Map.of("waitDelayMs", 1000))));
        }
        String quick = create(another, Map.of("html", "<p>quick</p>"));

        for (String id : neighbours) {
            assertThat(awaitTerminal(neighbour, id).getString("job.status")).isEqualTo("succeeded");
        }
        assertThat(awaitTerminal(another, quick).getString("job.status")).isEqualTo("succeeded");
        // taking turns, the four jobs wait for a few slots each (some 12 of the backlog are left when they are done),
        // not for the backlog of 20 in front of them (none left: how it was before fair dispatch)
        assertThat(unfinished(busy, backlog)).as("the busy project's jobs still unfinished").isGreaterThanOrEqualTo(6);
        assertAllSucceed(busy, backlog);
    }

    @Test
    void aProjectsPriorityJobGoesBeforeItsOwnBacklog() {
        TestProject busy = Api.newProject();
        List<String> backlog = backlog(busy, 12);
        String urgent = create(busy, Map.of("html", "<p>urgent</p>", "queue", "priority"));

        assertThat(awaitTerminal(busy, urgent).getString("job.status")).isEqualTo("succeeded");
        // some 11 of the 12 are left when it is done
        assertThat(unfinished(busy, backlog)).as("the project's own backlog still unfinished").isGreaterThanOrEqualTo(6);
        assertAllSucceed(busy, backlog);
    }

    private static List<String> backlog(TestProject project, int jobs) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            ids.add(create(project, Map.of("html", "<p>slow {{n}}</p>", "payload", Map.of("n", i), "options",
                    Map.of("waitDelayMs", 1000))));
        }
        return ids;
    }

    private static String create(TestProject project, Map<String, Object> body) {
        return project.call().body(body).post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
    }

    private static long unfinished(TestProject project, List<String> jobs) {
        return jobs.stream().filter(id -> !ENDED.contains(status(project, id).getString("job.status"))).count();
    }

    private static void assertAllSucceed(TestProject project, List<String> jobs) {
        for (String id : jobs) {
            JsonPath view = awaitTerminal(project, id);
            assertThat(view.getString("job.status")).as(view.prettify()).isEqualTo("succeeded");
        }
    }

    private static JsonPath status(TestProject project, String jobId) {
        return project.call().get("/v1/render-jobs/" + jobId).then().statusCode(200).extract().jsonPath();
    }
}
