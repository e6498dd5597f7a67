package io.pressroom.contract;

/** Kafka topic names; the queue a job names picks its command topic. */
public final class Topics {

    public static final String COMMANDS_PREFIX = "pressroom.render.commands.";
    public static final String EVENTS = "pressroom.render.events";
    public static final String COMMANDS_DLQ = "pressroom.render.commands.dlq";

    private Topics() {
    }

    public static String commands(String queue) {
        return COMMANDS_PREFIX + queue;
    }
}
