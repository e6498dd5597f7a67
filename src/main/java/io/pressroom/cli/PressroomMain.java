package io.pressroom.cli;

import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The one binary: without a command, or with {@code serve}, it starts Pressroom in its configured role; with one it
 * is the command-line client ({@link Cli}) and exits when done, without starting the service.
 */
@QuarkusMain
public final class PressroomMain {

    private PressroomMain() {
    }

    public static void main(String... args) {
        AtomicBoolean served = new AtomicBoolean();
        int status = new Cli(System.getenv(), System.out, System.err, () -> {
            served.set(true);
            Quarkus.run();
        }).run(args);
        // never System.exit after the service ran: it returns from a shutdown, where exit would block forever
        if (!served.get()) {
            System.exit(status);
        }
    }
}
