package io.pressroom.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Every setting of {@link PressroomConfig} is listed in docs/configuration.md, where users look for it. */
class ConfigurationDocsTest {

    @Test
    void everySettingIsDocumented() throws IOException {
        String docs = Files.readString(Path.of("docs/configuration.md"));
        List<String> keys = new ArrayList<>();
        collect(PressroomConfig.class, "pressroom.", keys);
        collect(io.pressroom.deploy.service.ZipLimits.class, "pressroom.templates.zip.", keys);
        assertThat(keys).hasSizeGreaterThan(30);
        assertThat(keys).allSatisfy(key -> assertThat(docs).as("docs/configuration.md").contains("`" + key + "`"));
    }

    private static void collect(Class<?> type, String prefix, List<String> keys) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String key = prefix + method.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getEnclosingClass() == type) {
                collect(returned, key + ".", keys);
            } else {
                keys.add(key);
            }
        }
    }
}
