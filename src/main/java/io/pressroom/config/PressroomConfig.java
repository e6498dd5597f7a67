package io.pressroom.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
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

    /**
     * Put the Amazon Corretto Crypto Provider (native AWS-LC) ahead of the JDK's own for SHA-256, HMAC, AES-GCM and
     * the rest of what it offers, TLS included, where its native library loads (Linux x86-64); elsewhere, or when
     * false, the JDK's providers are used.
     */
    @WithDefault("true")
    boolean nativeCrypto();

    /** A project and key created on first start when absent (used by the local run). */
    Bootstrap bootstrap();

    /** Object storage. */
    Storage storage();

    /** Template deploys and merges. */
    Templates templates();

    /** Chromium, used by the renderer role. */
    Chromium chromium();

    /** Kafka topics and administration. */
    Kafka kafka();

    /** Render jobs: retries, deadlines, payloads. */
    Jobs jobs();

    /** Batches: many jobs of one deploy version, merged or zipped (API role). */
    Batches batches();

    /** Signed download and preview links. */
    Downloads downloads();

    /** The HTTP API. */
    Http http();

    /** Webhook delivery (API role). */
    Webhooks webhooks();

    /** How long finished work is kept: the sweeps of rows and of orphaned objects (API role). */
    Retention retention();

    /** PostgreSQL (API role): bounds on every statement, every wait for a connection and every background run. */
    Database database();

    /** Logs. */
    Log log();

    interface Log {
        /**
         * Console log lines as JSON objects, one a line, with the job's {@code jobId}, {@code projectId},
         * {@code attempt} and the {@code traceId}/{@code spanId} as fields (production); plain text when false (the
         * local run, the tests). See docs/operations.md#logs.
         */
        @WithDefault("false")
        boolean json();
    }

    /** Health checks of the dependencies (the management interface's {@code /q/health/group/dependencies}). */
    Health health();

    interface Health {
        /** How often every dependency of the role is checked for the {@code pressroom_dependency_up} gauge. */
        @WithDefault("15s")
        Duration dependencyCheckInterval();
    }

    interface Database {
        /**
         * Longest one SQL statement may run, a lock wait included (PostgreSQL's {@code statement_timeout}, set on every
         * connection of the pool); past it the statement fails, a request answers 503 and a background loop tries again.
         */
        @WithDefault("10s")
        Duration statementTimeout();

        /**
         * Longest wait for a free connection of the pool (all in use, or the database not answering); past it the work
         * fails, a request answers 503 {@code dependency_unavailable}.
         */
        @WithDefault("3s")
        Duration poolWaitTimeout();

        /** Most callers waiting for a connection of the pool at once; more fail at once instead of queueing. */
        @WithDefault("1000")
        int poolWaitQueueSize();

        /**
         * Longest one run of a background loop (outbox relay, reaper, output expiry, webhook sender, retention sweep) may
         * take; a run stuck on a half-open connection is given up so that the next one starts.
         */
        @WithDefault("2m")
        Duration backgroundRunTimeout();

        /**
         * How often an API pod checks its notification connection (the one that {@code LISTEN}s) with a statement that
         * must answer within the same time; one that does not (a frozen server, a half-open connection that never
         * closes) is dropped and made again, and sync waits, event streams and the key cache look again. Making the
         * connection and listening must take no longer than the interval either.
         */
        @WithDefault("5s")
        Duration notificationCheckInterval();
    }

    interface Retention {
        /** How often the row sweeps below run; each deletes {@code batch-size} rows per statement. 0 turns them off. */
        @WithDefault("5m")
        Duration interval();

        /** Rows one delete statement removes at most, so a sweep never holds many locks or a long transaction. */
        @WithDefault("500")
        int batchSize();

        /**
         * Sent outbox messages (each a copy of a render command, payload included), and those set aside as undeliverable, are
         * deleted this long after; 0 keeps them.
         */
        @WithDefault("1h")
        Duration sentOutboxAge();

        /**
         * Delete Idempotency-Key records once past {@code pressroom.jobs.idempotency-ttl} (a later request with the key makes a
         * new job either way).
         */
        @WithDefault("true")
        boolean expiredIdempotencyKeys();

        /** Webhook deliveries that were delivered or abandoned are deleted this long after they finished; 0 keeps them. */
        @WithDefault("7d")
        Duration webhookDeliveryAge();

        /**
         * Timeline events of jobs that ended this long ago are deleted once as old themselves; the job record stays. 0 keeps
         * them.
         */
        @WithDefault("90d")
        Duration timelineAge();

        /**
         * Hidden test copies (of estimates and template previews) still there this long after their request are
         * deleted, with their timeline and outputs; each is deleted when its answer is read, so one left was
         * abandoned by an API pod that went away. Its objects are then the orphan sweep's. 0 keeps them.
         */
        @WithDefault("1h")
        Duration hiddenCopyAge();

        /**
         * A batch's merged PDF and zip are deleted this long after they were made: marked deleted (their links then
         * answer 404 {@code output_gone}) and removed from object storage. The items' own PDFs follow their jobs'
         * output mode. 0 keeps them.
         */
        @WithDefault("7d")
        Duration batchOutputAge();

        /**
         * How often objects under {@code outputs/} and {@code payloads/} that nothing refers to are looked for and deleted; 0
         * turns it off.
         */
        @WithDefault("6h")
        Duration orphanSweepInterval();

        /** Objects younger than this are never taken for orphans, so a render or an upload in flight is left alone. */
        @WithDefault("24h")
        Duration orphanAge();

        /** Most objects one orphan sweep looks at; the next sweep goes on from where it stopped. */
        @WithDefault("100000")
        int orphanScanLimit();
    }

    interface Webhooks {
        /** Delay before the 2nd, 3rd, … try of a delivery that failed (no 2xx in time); the last one repeats. */
        @WithDefault("10s,1m,5m,30m,2h")
        List<Duration> retryBackoff();

        /** Most tries per delivery (the first included); after the last failed one the delivery is abandoned. */
        @WithDefault("8")
        int maxAttempts();

        /** Longest wait for a try's connection; the whole try may take twice this. Longer counts as a failed try. */
        @WithDefault("10s")
        Duration timeout();

        /** How often the sender looks for due deliveries (a terminal job on this pod also wakes it at once). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Deliveries one API pod sends at once. */
        @WithDefault("16")
        int concurrency();

        /**
         * Deliveries of one project one API pod sends at once: a project whose receivers hang holds no more of
         * {@link #concurrency()} while the other projects' deliveries go out.
         */
        @WithDefault("4")
        int concurrencyPerProject();

        /**
         * Internal receivers webhooks may reach although their address is loopback, private, link-local or reserved:
         * CIDRs or addresses ({@code 10.20.0.0/16}, {@code ::1}) and host names ({@code hooks.internal}); none by
         * default.
         */
        Optional<List<String>> allow();

        /** Most webhook endpoints one project may have; creating one more is refused with 409. */
        @WithDefault("20")
        int maxEndpointsPerProject();

        /** Key (base64 of 32 bytes) that encrypts webhook secrets at rest; an API refuses to start without it. */
        Optional<String> secretKey();

        /** Id of {@code secret-key}, written into each encrypted secret (1 to 32 letters, digits, '-' or '_'). */
        @WithDefault("1")
        String secretKeyId();

        /**
         * Earlier keys that still open the secrets they sealed, each {@code id:base64}: list the old key here when
         * {@code secret-key} changes; each API pod seals stored secrets again with the new key in the background
         * (the {@code pressroom_webhook_secrets_resealed_total} counter), after which the old one can go.
         */
        Optional<List<String>> previousSecretKeys();

        /** How long an endpoint's previous secret still signs its webhooks (next to the new one) after a rotation. */
        @WithDefault("24h")
        Duration secretRotationOverlap();
    }

    interface Http {
        /**
         * Largest request body, on every route: a larger {@code Content-Length} is refused with 413 problem+json before
         * the body is sent, one of unknown length (chunked, or HTTP/2 without {@code Content-Length}) is cut with the
         * same answer once it has read this much. Keep
         * {@code quarkus.http.limits.max-body-size} (Quarkus's own cut, an empty 413) above it.
         */
        @WithDefault("20M")
        MemorySize maxBodySize();

        /**
         * Request bodies one API pod holds at once, counted by their declared length, or as they are read when it is
         * unknown; a request beyond it gets 503 {@code server_busy} with {@code Retry-After} (before its body is read
         * when its length is declared), and one project may hold at most half. Unset: a sixteenth of the heap.
         */
        Optional<MemorySize> bodiesInFlight();

        /**
         * Request bodies one project's requests may send to an API pod at once that are read as they come: those over
         * {@code quarkus.rest.input-buffer-size} (10 KiB), each of which holds a worker thread until it has arrived.
         * One more gets 503 {@code server_busy} with {@code Retry-After}, its body unread, so that no project's slow
         * uploads take every worker thread.
         */
        @WithDefault("16")
        int streamedBodiesPerProject();

        /**
         * Request bodies read as they come (see {@code streamed-bodies-per-project}) that all projects' requests may
         * send to an API pod at once: below the worker pool ({@code quarkus.thread-pool.max-threads}, 200), so that
         * many projects' slow uploads together leave threads for the work that needs them (webhook tries, storage
         * writes, the other bodies). One more gets 503 {@code server_busy} with {@code Retry-After}, its body unread.
         */
        @WithDefault("64")
        int streamedBodies();

        /**
         * Requests per second one project may make with its keys, on each API pod (a token bucket); more get 429
         * {@code rate_limited} with {@code Retry-After}. 0 turns the limit off.
         */
        @WithDefault("50")
        int rateLimitPerSecond();

        /** Requests a project may make at once above {@code rate-limit-per-second}, after a quiet spell. */
        @WithDefault("200")
        int rateLimitBurst();

        /**
         * Failed authentications (401) one client address may have per minute, on each API pod; beyond them its
         * requests get 429 {@code too_many_auth_failures} with {@code Retry-After} before any key is looked up. 0
         * turns the limit off.
         */
        @WithDefault("60")
        int authFailuresPerMinute();

        /** Failed authentications a client address may have at once above {@code auth-failures-per-minute}. */
        @WithDefault("20")
        int authFailureBurst();

        /**
         * Live event streams ({@code GET …/events} as SSE) one project may have open at once on each API pod; more
         * get 429 {@code too_many_streams} with {@code Retry-After}. 0 turns the cap off.
         */
        @WithDefault("20")
        int streamsPerProject();

        /**
         * Database time one project's usage queries ({@code GET /v1/usage}, which sum every job of their period) may
         * take per minute on each API pod, one query at a time; beyond it, or while one runs, the next gets 429
         * {@code rate_limited} with {@code Retry-After}. 0 turns the budget off.
         */
        @WithDefault("6s")
        Duration usageDatabaseTimePerMinute();

        /** How often an event stream sends a comment line when nothing happened, so proxies keep it open. */
        @WithDefault("15s")
        Duration streamHeartbeat();

        /**
         * On shutdown (SIGTERM), how long the API keeps serving while its readiness reports down, so load balancers stop
         * sending it requests first; {@code quarkus.shutdown.delay} is set from it.
         */
        @WithDefault("3s")
        Duration shutdownDelay();

        /**
         * On shutdown, after {@code shutdown-delay}, how long the server waits for requests still open to finish (sync
         * waits and event streams end at the start of shutdown); {@code quarkus.shutdown.timeout} is set from it.
         */
        @WithDefault("20s")
        Duration shutdownTimeout();

        /** Longest an event stream stays open; then it ends and the client reconnects with {@code Last-Event-ID}. */
        @WithDefault("30m")
        Duration streamMaxDuration();

        /**
         * How long a request waits for PostgreSQL in total (the key check, then its reads and writes) before it answers 503
         * {@code dependency_unavailable} with {@code Retry-After}, instead of hanging while the database is frozen
         * or unreachable.
         */
        @WithDefault("4s")
        Duration dependencyTimeout();

        /**
         * How long an API pod keeps a project key it found active before looking it up again. A revocation reaches every
         * pod at once through PostgreSQL's {@code NOTIFY} (also one made by hand in SQL); this bounds how long a key
         * could outlive it should that notice go astray. 0 looks up every request's key.
         */
        @WithDefault("30s")
        Duration keyCacheTtl();
    }

    interface Jobs {
        /** Queues clients may name; each has its topic {@code pressroom.render.commands.<queue>}. */
        @WithDefault("default,priority")
        List<String> queues();

        /** Most render attempts per job (the first included). */
        @WithDefault("3")
        int maxAttempts();

        /** Delay before the 2nd, 3rd, … attempt after a retryable failure; the last one repeats. */
        @WithDefault("2s,8s,30s")
        List<Duration> retryBackoff();

        /** Payloads larger than this (serialized JSON bytes) go to object storage as a claim check. */
        @WithDefault("65536")
        int inlinePayloadMaxBytes();

        /** Largest payload accepted (serialized JSON bytes); larger requests get 413. */
        @WithDefault("5242880")
        int maxPayloadBytes();

        /** Inline {@code html} larger than this (UTF-8 bytes) goes to object storage like a large payload. */
        @WithDefault("65536")
        int inlineHtmlMaxBytes();

        /**
         * Largest render command (serialized JSON bytes); a create whose command would be larger gets 413 and creates
         * nothing. Keep it well under Kafka's message limit (the producer's {@code max.request.size} and the topic's
         * {@code max.message.bytes}, 1 MiB by default).
         */
        @WithDefault("262144")
        int maxCommandBytes();

        /**
         * Jobs one project may have unfinished (queued, rendering or waiting for a retry); a create beyond it gets 429
         * {@code queue_full} with {@code Retry-After}. 0 turns the cap off.
         */
        @WithDefault("1000")
        int maxUnfinishedPerProject();

        /**
         * A job still queued this long after its command was sent is looked at: sent again when the renderers have
         * consumed everything in its queue (its command was lost), left waiting when its command is still behind
         * others (a backlog is not a loss).
         */
        @WithDefault("2m")
        Duration queuedDeadline();

        /** How often one attempt's lost command is sent again before the job fails with {@code internal_error}. */
        @WithDefault("3")
        int maxRedispatches();

        /** Grace on top of the render budget before a rendering job counts as crashed. */
        @WithDefault("60s")
        Duration renderingGrace();

        /**
         * A rendering job whose renderer has not reported for this long counts as crashed and is re-driven, even
         * within its render budget (renderers report every {@code pressroom.chromium.heartbeat-interval}).
         */
        @WithDefault("30s")
        Duration renderingLease();

        /** Render budget when the job sets none; the API writes it into each command, renderers have no default. */
        @WithDefault("30s")
        Duration defaultRenderTimeout();

        /** How often the reaper looks for overdue jobs and due retries. */
        @WithDefault("2s")
        Duration reaperInterval();

        /** How long an Idempotency-Key is remembered. */
        @WithDefault("24h")
        Duration idempotencyTtl();

        /** How long the output of an {@code outputMode: transient} job is kept. */
        @WithDefault("1h")
        Duration transientTtl();

        /** How often expired transient outputs are deleted. */
        @WithDefault("30s")
        Duration expirySweepInterval();

        /** Longest a create request waits for the job with {@code ?sync=true} or {@code ?wait=SECONDS}. */
        @WithDefault("15s")
        Duration syncWaitMax();

        /**
         * Longest a template preview ({@code POST /v1/deploys/{id}/versions/{versionId}/preview}) waits for its render;
         * then it answers 504 {@code preview_timeout} and the render is cancelled.
         */
        @WithDefault("10s")
        Duration previewTimeout();

        /** How often the outbox relay looks for unsent messages (it is also woken after each commit). */
        @WithDefault("500ms")
        Duration outboxPollInterval();

        /**
         * Fair dispatch: the render commands on a queue's topic whose jobs have not ended, across all projects, may
         * number at most this or twice the queue's renders in progress, whichever is larger; the other commands wait
         * in the outbox and go out project by project, the project with the fewest commands out first, so one
         * project's backlog never stands in Kafka in front of another project's job. 0 turns it off: every command
         * goes out at once, oldest first.
         */
        @WithDefault("4")
        int dispatchWindow();
    }

    interface Batches {
        /**
         * How often API pods look for batches whose items have all ended and whose assembly (merge, zip) is due;
         * the pod that ends a batch's last item also starts it at once.
         */
        @WithDefault("5s")
        Duration sweepInterval();

        /**
         * How long one pod may spend assembling a batch before another pod takes the batch over (a pod that died
         * mid-merge); also the wait before a failed assembly is tried again.
         */
        @WithDefault("10m")
        Duration assemblyLease();

        /** Assemblies tried before the batch fails with {@code assembly_failed}. */
        @WithDefault("3")
        int maxAssemblyAttempts();

        /** Longest the creation of one batch may take in the database: all its jobs are inserted in one transaction. */
        @WithDefault("60s")
        Duration createTimeout();
    }

    interface Downloads {
        /**
         * Secret that signs download links, at least 32 bytes; every API pod must share it. An API refuses to start
         * without it, except in development and tests (a random one per process).
         */
        Optional<String> signingKey();

        /** Id of {@code signing-key}, written into each link so that the key that signed it can be found. */
        @WithDefault("1")
        String signingKeyId();

        /**
         * Earlier keys that still verify links during a rotation, each {@code id:secret}; links they signed keep
         * working while they are listed.
         */
        Optional<List<String>> previousSigningKeys();

        /** Base URL clients reach the API at, for links; defaults to the base URL of the request. */
        Optional<String> publicUrl();

        /** Link lifetime when the request names none, in seconds. */
        @WithDefault("600")
        int defaultExpirySeconds();

        /** Downloads of one signed link at once on each API pod; more get 429 {@code too_many_downloads}. 0: no cap. */
        @WithDefault("4")
        int maxConcurrentPerLink();

        /**
         * Downloads at once on each API pod, of every kind (PDFs, previews, batch files, through links or the API):
         * each holds a storage connection for as long as its client reads, so this stays below the storage client's
         * pool ({@code quarkus.s3.sync-client.apache.max-connections}, 50) and creates, deploys and renders keep
         * theirs. More get 503 {@code server_busy}.
         */
        @WithDefault("32")
        int maxConcurrent();

        /** Of those, the most one project's downloads may hold; more get 429 {@code too_many_downloads}. */
        @WithDefault("16")
        int maxConcurrentPerProject();

        /**
         * Longest a download may wait for its client to take the next part; a client that stops reading is cut
         * off then, and its place freed.
         */
        @WithDefault("60s")
        Duration stallTimeout();
    }

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

        /**
         * How long one storage call may wait for an answer (connect and each read) before it fails; the S3 client's
         * timeouts are set from it.
         */
        @WithDefault("10s")
        Duration timeout();

        /**
         * How long a renderer keeps trying object storage (template, payload, uploads) before the attempt fails with
         * {@code storage_error}; the API writes it into each command and waits that much longer before it counts a
         * rendering job as crashed.
         */
        @WithDefault("3m")
        Duration retryFor();
    }

    interface Templates {
        /** Largest template bundle accepted (HTML plus decoded assets), in bytes. */
        @WithDefault("10485760")
        long maxBundleBytes();

        /** Most assets one version may carry. */
        @WithDefault("200")
        int maxAssets();

        /**
         * Most characters a template merge may produce (about bytes for ASCII HTML); a larger merge stops and fails
         * the job with {@code template_error}. The merge also stops at the job's render budget.
         */
        @WithDefault("20000000")
        long maxMergedChars();

        /** Largest payload JSON Schema a version may carry (its JSON text), in bytes; more is a 413. */
        @WithDefault("262144")
        long maxSchemaBytes();

        /** Most compiled payload schemas kept in memory, one per version; the rest are compiled again when used. */
        @WithDefault("500")
        int schemaCacheSize();
    }

    interface Chromium {
        /** Chromium binary launched by the renderer. */
        @WithDefault("/usr/lib/chromium/chromium")
        String executablePath();

        /** Extra command-line flags for Chromium, added to Pressroom's own. */
        Optional<List<String>> extraArgs();

        /** Pages rendering at once in the one browser of this process; more callers wait for a free page. */
        @WithDefault("2")
        int concurrency();

        /**
         * Pages kept for template previews on top of {@code concurrency}: previews come from their own command topic
         * and render on these, so an interactive preview never waits behind the jobs' queue; at least 1.
         */
        @WithDefault("1")
        int previewConcurrency();

        /**
         * On shutdown (SIGTERM), how long a renderer waits for the commands in flight to finish, upload and report
         * before it closes Chromium; it takes no new command meanwhile. Keep Kubernetes'
         * {@code terminationGracePeriodSeconds} above it.
         */
        @WithDefault("130s")
        Duration drainTimeout();

        /**
         * How often a renderer reports each render in flight again, which renews the job's lease
         * ({@code pressroom.jobs.rendering-lease}; keep this well below it).
         */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /**
         * The browser is replaced after this many renders, which bounds what a long-lived Chromium accumulates; a
         * static document (no script, nothing to load) counts as a third of a render. Its successor is started
         * beside it while renders go on (for a few seconds the renderer runs two browsers), and takes over once the
         * renders in progress end. A replacement costs about 4 s of CPU (the new browser's start and first render)
         * and slows the renders around it (the benchmark's p99 is those renders): at 200 it cost a fifth of a 2-core
         * renderer's throughput. Chromium's memory stayed flat over 3,000 static documents without one, but grew by
         * about 30 % over 1,000 documents that navigate and 60 % over 1,500 (docs/performance.md).
         */
        @WithDefault("1000")
        int restartAfterRenders();

        /** How long Chromium may take to start and announce its DevTools endpoint. */
        @WithDefault("20s")
        Duration launchTimeout();

        /** Longest wait for a DevTools call outside a render's budget (opening pages); longer counts as hung. */
        @WithDefault("30s")
        Duration protocolTimeout();

        /**
         * Upper bound on a job's {@code renderTimeoutMs} (whole render: merge, load, waits, printing, previews and
         * difference images).
         */
        @WithDefault("120s")
        Duration maxRenderTimeout();

        /** Longest page load (until the load event); exceeding it fails the job with {@code navigation_timeout}. */
        @WithDefault("20s")
        Duration navigationTimeout();

        /** Longest wait for closing or resetting a page; a browser that takes longer counts as hung and is killed. */
        @WithDefault("5s")
        Duration cleanupTimeout();

        /** Largest PDF a render may produce, in bytes; larger output fails with {@code output_too_large}. */
        @WithDefault("52428800")
        long maxOutputBytes();

        /**
         * Most pages a PDF may have; more fails the job with {@code output_too_large} (not retried). Chromium is asked
         * for one page more than this, never for the whole of a longer document.
         */
        @WithDefault("2000")
        int maxPages();

        /** Longest side of a page, in inches (A0 is 46.8); a larger page fails the job with {@code output_too_large}. */
        @WithDefault("100")
        double maxPageInches();

        /** Most pixels of one PNG page preview, in millions; a larger page is previewed at a lower resolution. */
        @WithDefault("16")
        double maxPreviewMegapixels();

        /**
         * Page images (PNG previews, baseline diffs) being rasterized at once over all of a renderer's threads, four
         * bytes a pixel (a diff holds three images); a page waits until its images fit. Unset: a quarter of the heap.
         */
        Optional<MemorySize> rasterMemory();

        /** How long the readiness probe waits for the browser to answer (starting it first if needed). */
        @WithDefault("10s")
        Duration healthTimeout();

        /**
         * Chromium's own OS sandbox (user and PID namespaces and seccomp-bpf around each renderer). Unset: on whenever
         * the JVM does not run as root and Chromium starts with it (else a warning, once, and it runs without);
         * {@code true}: required, Chromium does not start without it; {@code false}: off.
         */
        Optional<Boolean> osSandbox();
    }

    interface Kafka {
        /** How long a Kafka health probe may take before the check reports DOWN. */
        @WithDefault("3s")
        Duration healthTimeout();

        /** Create Pressroom's topics at start-up when they do not exist (API role). */
        @WithDefault("true")
        boolean createTopics();

        /** Partitions of topics Pressroom creates: the most renderer (or API) pods that share one queue. */
        @WithDefault("6")
        int partitions();

        /** Replication factor of topics Pressroom creates. */
        @WithDefault("1")
        short replicationFactor();

        /**
         * Kafka's {@code delivery.timeout.ms} for every producer (outbox relay, event publisher, dead letters): a send
         * not acknowledged by then fails, and the row or event is sent again later. Keep it with
         * {@code max-block-ms} under 30 s, the senders' own bound, so no record is left to go out after it.
         */
        @WithDefault("20000")
        int deliveryTimeoutMs();

        /** Kafka's {@code request.timeout.ms} for every producer: longest wait for the broker to answer one request. */
        @WithDefault("10000")
        int requestTimeoutMs();

        /** Kafka's {@code max.block.ms} for every producer: longest a send waits for topic metadata or buffer space. */
        @WithDefault("5000")
        int maxBlockMs();

        /**
         * Kafka's {@code linger.ms} for the command and event producers: how long a record waits for others to share
         * its batch. 0 sends at once (records still batch while a request is in flight); Kafka 4's own default, 5,
         * adds 5 ms to each of a job's two sends on the way to its PDF.
         */
        @WithDefault("0")
        int lingerMs();

        /** How often each consumer's assigned partitions and lag are measured for {@code /q/metrics}. */
        @WithDefault("15s")
        Duration consumerMetricsInterval();
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
