package io.pressroom.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.storage.ObjectStorage;

/**
 * Template bundles in object storage: {@code templates/{projectId}/{deployId}/{versionId}/manifest.json} and each
 * file under {@code …/files/{path}}. Written once per version, never modified. Blocking.
 */
@ApplicationScoped
public class BundleStorage {

    private static final Logger LOG = Logger.getLogger(BundleStorage.class);
    private static final String MANIFEST = "manifest.json";
    private static final TypeReference<List<BundleFile>> MANIFEST_TYPE = new TypeReference<>() {
    };

    private final ObjectStorage storage;
    private final ObjectMapper json;

    public BundleStorage(ObjectStorage storage, ObjectMapper json) {
        this.storage = storage;
        this.json = json;
    }

    public static String prefix(String projectId, String deployId, String versionId) {
        return "templates/" + projectId + "/" + deployId + "/" + versionId + "/";
    }

    public static String fileKey(String prefix, String path) {
        return prefix + "files/" + path;
    }

    /** Uploads every file, then the manifest, so a readable manifest means a complete bundle. */
    public void store(String prefix, TemplateBundle bundle) {
        for (TemplateBundle.Entry entry : bundle.entries()) {
            storage.put(fileKey(prefix, entry.path()), entry.content(), entry.contentType());
        }
        try {
            storage.put(prefix + MANIFEST, json.writeValueAsBytes(bundle.manifest()), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored manifest, or {@code null} when the bundle does not exist. */
    public List<BundleFile> manifest(String prefix) {
        byte[] bytes = storage.get(prefix + MANIFEST);
        if (bytes == null) {
            return null;
        }
        try {
            return json.readValue(bytes, MANIFEST_TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable manifest under " + prefix, e);
        }
    }

    public byte[] file(String prefix, String path) {
        return storage.get(fileKey(prefix, path));
    }

    /** Removes a bundle whose version was never recorded; failures are logged, the objects are unreachable anyway. */
    public void discard(String prefix, TemplateBundle bundle) {
        try {
            storage.delete(prefix + MANIFEST);
            for (TemplateBundle.Entry entry : bundle.entries()) {
                storage.delete(fileKey(prefix, entry.path()));
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not remove the unrecorded bundle %s", prefix);
        }
    }
}
