package io.pressroom.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every Pressroom setting. Each key can be overridden by an environment variable
 * ({@code pressroom.storage.bucket} → {@code PRESSROOM_STORAGE_BUCKET}).
 */
@ConfigMapping(prefix = "pressroom")
public interface PressroomConfig {

    /** Which part of Pressroom this process runs: {@code api}, {@code renderer} or {@code all}. */
    @WithDefault("all")
    Role role();

    /** Admin key that manages projects and API keys ({@code /v1/projects}); admin endpoints answer 401 when unset. */
    Optional<String> adminKey();

    /** A project and key created on first start when absent (used by the local run). */
    Bootstrap bootstrap();

    /** Object storage. */
    Storage storage();

    /** Template deploys. */
    Templates templates();

    /** Chromium, used by the renderer role. */
    Chromium chromium();

    /** Kafka topics and administration. */
    Kafka kafka();

    interface Bootstrap {
        /** Plain {@code prk_…} key of the bootstrap project; nothing is created when unset. */
        Optional<String> projectKey();

        /** Name of the bootstrap project. */
        @WithDefault("local")
        String projectName();
    }

    interface Storage {
        /** Bucket that holds templates, payloads and outputs. */
        @WithDefault("pressroom")
        String bucket();

        /** Create the bucket at start-up when it does not exist. */
        @WithDefault("true")
        boolean createBucket();

        /** How long a storage health probe may take before the check reports DOWN. */
        @WithDefault("3s")
        Duration healthTimeout();
    }

    interface Templates {
        /** Largest template bundle accepted (HTML plus decoded assets), in bytes. */
        @WithDefault("10485760")
        long maxBundleBytes();

        /** Most assets one version may carry. */
        @WithDefault("200")
        int maxAssets();
    }

    interface Chromium {
        /** Chromium binary launched by the renderer. */
        @WithDefault("/usr/lib/chromium/chromium")
        String executablePath();

        /** Extra command-line flags for Chromium, added to Pressroom's own. */
        Optional<List<String>> extraArgs();
    }

    interface Kafka {
        /** How long a Kafka health probe may take before the check reports DOWN. */
        @WithDefault("3s")
        Duration healthTimeout();
    }

    enum Role {
        api,
        renderer,
        all;

        public boolean runsApi() {
            return this != renderer;
        }

        public boolean runsRenderer() {
            return this != api;
        }
    }
}
