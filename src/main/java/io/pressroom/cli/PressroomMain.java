package io.pressroom.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The one binary: with a command ({@code pressroom health}, {@code pressroom render …}) it is a command-line client
 * that exits when done, without starting the service; without one it starts Pressroom in its configured role.
 */
@QuarkusMain
public final class PressroomMain {

    private PressroomMain() {
    }

    public static void main(String... args) {
        if (Cli.isCommand(args)) {
            System.exit(new Cli(System.getenv(), System.out, System.err).run(args));
        }
        Quarkus.run(args);
    }
}
