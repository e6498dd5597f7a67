package io.pressroom.testing.stack;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@code @QuarkusTest} that receives the Kafka switch of {@link PressroomTestStack}, as
 * {@link InjectPostgresControl} does for PostgreSQL: a {@code java.util.function.Consumer<Boolean>};
 * {@code accept(false)} stops the broker, {@code accept(true)} starts it again on the same port with the same topics
 * and committed offsets. Both return once the broker is down or ready for clients.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectKafkaControl {
}
