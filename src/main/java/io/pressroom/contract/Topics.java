package io.pressroom.contract;

/** Kafka topic names; the queue a job names picks its command topic. */
public final class Topics {

    public static final String COMMANDS_PREFIX = "pressroom.render.commands.";
    public static final String EVENTS = "pressroom.render.events";
    public static final String COMMANDS_DLQ = "pressroom.render.commands.dlq";
    /** Render events that cannot be read or applied. */
    public static final String EVENTS_DLQ = "pressroom.render.events.dlq";
    /** Broadcast to every renderer (each reads it in its own consumer group): {@code cancel} of a job. */
    public static final String CONTROL = "pressroom.render.control";

    /**
     * The internal queue of template previews: no client may name it; renderers read its topic in a consumer group
     * and on pages of their own, so an interactive preview never waits behind the jobs' backlog.
     */
    public static final String PREVIEW_QUEUE = "preview";

    private Topics() {
    }

    public static String commands(String queue) {
        return COMMANDS_PREFIX + queue;
    }
}
