package io.pressroom.render.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.ruiyun.jvppeteer.common.Constant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * jvppeteer reads every DevTools event named in its {@code Constant.LISTENER_CLASSES} into the class given there,
 * with Jackson, by reflection; a jvppeteer upgrade that adds an event class fails here, in the normal build, until
 * the class is registered for the native executable ({@link JvppeteerReflection}).
 */
class JvppeteerReflectionTest {

    @Test
    void everyDevToolsEventClassOfJvppeteerIsRegistered() {
        List<Class<?>> registered = List.of(JvppeteerReflection.class.getAnnotation(RegisterForReflection.class)
                .targets());
        // the CDP events only: the WebDriver BiDi ones are never used, and a session object is handed over as it is
        List<String> events = Constant.LISTENER_CLASSES.values().stream().filter(Objects::nonNull)
                .filter(type -> type.getName().startsWith("com.ruiyun.jvppeteer.cdp.")).map(Class::getName)
                .sorted().collect(Collectors.toList());

        assertThat(events).as("jvppeteer's CDP event classes").hasSizeGreaterThan(30);
        assertThat(registered.stream().map(Class::getName)).containsAll(events);
    }

    @Test
    void theHierarchyOfEachClassIsRegisteredToo() {
        RegisterForReflection registration = JvppeteerReflection.class.getAnnotation(RegisterForReflection.class);

        assertThat(registration.registerFullHierarchy()).as("the classes the events hold in their fields").isTrue();
    }
}
