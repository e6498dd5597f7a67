package io.pressroom.testing;

import io.pressroom.testing.stack.PressroomTestStack;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers {@link PressroomTestStack} for every {@code @QuarkusTest}: a {@code @QuarkusTestResource} on any class
 * of the test sources applies to all tests, so the servers start once and Quarkus gets their addresses.
 */
@QuarkusTestResource(PressroomTestStack.class)
public final class TestStackRegistration {

    private TestStackRegistration() {
    }
}
