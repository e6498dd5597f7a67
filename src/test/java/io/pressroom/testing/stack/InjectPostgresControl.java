package io.pressroom.testing.stack;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@code @QuarkusTest} that receives the PostgreSQL switch of {@link PressroomTestStack}. The
 * field must be a {@code java.util.function.Consumer<Boolean>}: {@code accept(false)} stops PostgreSQL,
 * {@code accept(true)} starts it again on the same port with the same data. Both return once the server is down or
 * accepting connections.
 * <p>
 * A JDK type on purpose: Quarkus may load test resources and test classes in different class loaders, where a
 * type of our own would not be assignable.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectPostgresControl {
}
