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

    private Topics() {
    }

    public static String commands(String queue) {
        return COMMANDS_PREFIX + queue;
    }
}
