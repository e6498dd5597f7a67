package io.pressroom.bundle;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.pressroom.common.Hashes;
import io.pressroom.common.Refusal;

/**
 * A validated template bundle in memory: {@code index.html} plus assets, keyed by their relative path. Paths are
 * plain relative names (no {@code ..}, no leading slash, no backslashes), so that no asset can escape the bundle
 * when it is stored or served.
 */
public final class TemplateBundle {

    public static final String INDEX = "index.html";

    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");
    private static final Pattern CONTENT_TYPE = Pattern
            .compile("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*(; ?[a-z0-9_-]+=[A-Za-z0-9_.-]+)?");
    private static final int MAX_PATH_LENGTH = 200;

    /** What {@link #isSafePath} accepts, as error messages say it. */
    public static final String PATH_RULE = "must be a relative path of letters, digits, '.', '_', '-' and '/' "
            + "without '..' (at most " + MAX_PATH_LENGTH + " characters)";

    /** One file of the bundle with its content. */
    public record Entry(String path, String contentType, byte[] content) {
        BundleFile describe() {
            return new BundleFile(path, contentType, content.length, Hashes.sha256Hex(content));
        }
    }

    private final Map<String, Entry> entries;
    private final List<BundleFile> manifest;

    private TemplateBundle(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
        this.manifest = entries.values().stream().map(Entry::describe)
                .sorted(Comparator.comparing(BundleFile::path)).toList();
    }

    /** Whether {@code path} is a plain relative file name that cannot escape the bundle. */
    public static boolean isSafePath(String path) {
        return path != null && path.length() <= MAX_PATH_LENGTH && SAFE_PATH.matcher(path).matches()
                && !path.contains("..");
    }

    /** Collects entries and enforces the limits; every refusal is a 400 or 413 naming the offending file. */
    public static final class Builder {
        private final Map<String, Entry> entries = new TreeMap<>();
        private final long maxBytes;
        private final int maxFiles;
        private long bytes;

        public Builder(long maxBytes, int maxFiles) {
            this.maxBytes = maxBytes;
            this.maxFiles = maxFiles;
        }

        public Builder add(String field, String path, String contentType, byte[] content) {
            if (!isSafePath(path)) {
                throw new Refusal.Invalid(field + ".path: " + PATH_RULE);
            }
            if (contentType == null || !CONTENT_TYPE.matcher(contentType.toLowerCase()).matches()) {
                throw new Refusal.Invalid(field + ".contentType: must be a media type such as text/css");
            }
            if (entries.containsKey(path)) {
                throw new Refusal.Invalid(field + ".path: '" + path + "' appears twice in the bundle");
            }
            if (entries.size() >= maxFiles + 1) {
                throw new Refusal.Invalid("the bundle has more than " + maxFiles + " assets");
            }
            bytes += content.length;
            if (bytes > maxBytes) {
                throw new Refusal.TooLarge("the bundle is larger than " + maxBytes + " bytes");
            }
            entries.put(path, new Entry(path, contentType, content));
            return this;
        }

        public TemplateBundle build() {
            if (!entries.containsKey(INDEX)) {
                throw new Refusal.Invalid("the bundle has no " + INDEX);
            }
            return new TemplateBundle(entries);
        }
    }

    public String html() {
        return new String(entries.get(INDEX).content(), StandardCharsets.UTF_8);
    }

    /** The content of the file at {@code path}, if the bundle has one. */
    public Optional<byte[]> content(String path) {
        return Optional.ofNullable(entries.get(path)).map(Entry::content);
    }

    public Iterable<Entry> entries() {
        return entries.values();
    }

    /** Files sorted by path with size and SHA-256: what the version records and the renderer reads first. */
    public List<BundleFile> manifest() {
        return manifest;
    }

    public long bytes() {
        return manifest.stream().mapToLong(BundleFile::bytes).sum();
    }

    /**
     * The version's digest: SHA-256 over the sorted manifest lines {@code path NUL contentType NUL sha256 LF}, so
     * it changes whenever any file's name, type or content changes, and is the same for the same files however
     * they were uploaded (JSON or zip).
     */
    public String sha256() {
        StringBuilder canonical = new StringBuilder();
        for (BundleFile file : manifest) {
            canonical.append(file.path()).append('\0').append(file.contentType()).append('\0').append(file.sha256())
                    .append('\n');
        }
        return Hashes.sha256Hex(canonical.toString());
    }
}
