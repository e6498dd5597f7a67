package io.pressroom.webhook.delivery;

import java.util.HashMap;
import java.util.Map;

/**
 * The webhook tries one API pod has in flight, in all and by project. A try holds its slot until its receiver has
 * answered or its time is up, and only that long: a slot that frees lets the next due delivery out, whatever the
 * others still wait for.
 */
final class TrySlots {

    private final int total;
    private final int perProject;
    private final Map<String, Integer> byProject = new HashMap<>();
    private int taken;

    TrySlots(int total, int perProject) {
        this.total = Math.max(1, total);
        this.perProject = Math.max(1, Math.min(perProject, this.total));
    }

    int total() {
        return total;
    }

    int perProject() {
        return perProject;
    }

    synchronized int free() {
        return total - taken;
    }

    synchronized int taken() {
        return taken;
    }

    /** The projects with tries in flight, and how many each. */
    synchronized Map<String, Integer> byProject() {
        return Map.copyOf(byProject);
    }

    synchronized void take(String project) {
        taken++;
        byProject.merge(project, 1, Integer::sum);
    }

    synchronized void release(String project) {
        taken--;
        byProject.computeIfPresent(project, (id, count) -> count == 1 ? null : count - 1);
    }
}
