package io.pressroom.job.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessStreamCache;
import org.apache.pdfbox.multipdf.PDFMergerUtility;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.jboss.logging.Logger;

import io.pressroom.common.Ids;
import io.pressroom.common.Scratch;
import io.pressroom.config.PressroomConfig;
import io.pressroom.job.repository.BatchOutput;
import io.pressroom.job.repository.BatchRepository;
import io.pressroom.job.repository.RenderBatch;
import io.pressroom.job.repository.RenderOutput;
import io.pressroom.storage.ObjectStorage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Assembles a batch whose items all succeeded: the merged PDF (PDFBox's merger, its buffers in temporary files only,
 * so a thousand items never sit on the heap) and the zip of the items' PDFs, each item streamed from storage to a
 * temporary file first. A pod claims one batch at a time for {@code pressroom.batches.assembly-lease}
 * ({@code FOR UPDATE SKIP LOCKED}, no connection held while it works); a pod that dies mid-assembly leaves the
 * batch to whichever pod sweeps after the lease: nothing stays assembling for good. The files are stored under
 * a key of their own try, so a late pod never overwrites what another stored; only the try that still holds the
 * claim when it is done records its files.
 */
@ApplicationScoped
public class BatchAssembly {

    private static final Logger LOG = Logger.getLogger(BatchAssembly.class);
    private static final String ZIP = "application/zip";

    /** What one claim needs: the batch, the try, and its items' PDFs in item order. */
    record Claim(String batchId, String projectId, int attempt, boolean merge, boolean zip, List<Item> items) {
    }

    record Item(int index, String fileName, String storageKey) {
    }

    /** The files one try stored. */
    record Produced(List<BatchOutput> outputs) {
    }

    /** An item's PDF is no longer stored (deleted, expired): the batch cannot be assembled. */
    static final class ItemGone extends RuntimeException {
        ItemGone(String message) {
            super(message, null, false, false);
        }
    }

    private final BatchRepository batches;
    private final BatchLedger ledger;
    private final ObjectStorage storage;
    private final PressroomConfig.Batches config;

    public BatchAssembly(BatchRepository batches, BatchLedger ledger, ObjectStorage storage, PressroomConfig config) {
        this.batches = batches;
        this.ledger = ledger;
        this.storage = storage;
        this.config = config.batches();
    }

    /** Assembles one due batch, if any; completes with whether one was found (more may be waiting). */
    public Uni<Boolean> assembleOne() {
        return claim().chain(claim -> claim == null ? Uni.createFrom().item(false)
                : VertxContextSupport.executeBlocking(() -> produce(claim))
                        .chain(produced -> record(claim, produced))
                        .onFailure().recoverWithUni(failure -> failed(claim, failure))
                        .replaceWith(true));
    }

    private Uni<Claim> claim() {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT id FROM render_batches
                WHERE status = 'assembling' AND (assembly_lease_until IS NULL OR assembly_lease_until < now())
                ORDER BY updated_at LIMIT 1 FOR UPDATE SKIP LOCKED""", String.class).getResultList())
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().nullItem()
                        : batches.findById(ids.get(0))
                                .chain(batch -> {
                                    if (batch.assemblyAttempts >= config.maxAssemblyAttempts()) {
                                        return ledger.assemblyFailed(batch, "assembly_failed", "the merged PDF or zip could "
                                                + "not be made in " + batch.assemblyAttempts + " tries")
                                                .replaceWith((Claim) null);
                                    }
                                    ledger.claimAssembly(batch, Instant.now().plus(config.assemblyLease()));
                                    return items(batch.id).map(items -> new Claim(batch.id, batch.projectId,
                                            batch.assemblyAttempts, batch.merge, batch.zip, items));
                                })));
    }

    private Uni<List<Item>> items(String batchId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT j.batch_index, j.file_name, o.storage_key, o.state
                FROM render_jobs j LEFT JOIN render_outputs o ON o.job_id = j.id AND o.format = 'pdf'
                WHERE j.batch_id = ?1 ORDER BY j.batch_index""", Object[].class)
                .setParameter(1, batchId).getResultList())
                .map(rows -> {
                    List<Item> items = new ArrayList<>(rows.size());
                    for (Object[] row : rows) {
                        boolean kept = row[2] != null && RenderOutput.AVAILABLE.equals(row[3]);
                        items.add(new Item(((Number) row[0]).intValue(), (String) row[1],
                                kept ? (String) row[2] : null));
                    }
                    return items;
                });
    }

    /** The blocking part: items to temporary files, the merged PDF and the zip made and stored. */
    Produced produce(Claim claim) throws IOException {
        for (Item item : claim.items()) {
            if (item.storageKey() == null) {
                throw new ItemGone("the PDF of item " + item.index() + " was deleted or expired before the batch "
                        + "was assembled");
            }
        }
        Path dir = Files.createTempDirectory(Scratch.directory(), "batch-");
        try {
            List<Path> files = new ArrayList<>();
            for (Item item : claim.items()) {
                Path file = dir.resolve("item-" + item.index() + ".pdf");
                if (!storage.copyTo(item.storageKey(), file)) {
                    throw new ItemGone("the PDF of item " + item.index() + " is no longer stored");
                }
                files.add(file);
            }
            String prefix = "batches/" + claim.projectId() + "/" + claim.batchId() + "/" + claim.attempt() + "/";
            List<BatchOutput> outputs = new ArrayList<>();
            if (claim.merge()) {
                Path merged = dir.resolve("merged.pdf");
                merge(files, merged);
                int pages;
                try (PDDocument document = Loader.loadPDF(merged.toFile(), scratchFiles(dir))) {
                    pages = document.getNumberOfPages();
                }
                outputs.add(store(claim, BatchOutput.MERGED, merged, prefix + claim.batchId() + ".pdf",
                        claim.batchId() + ".pdf", "application/pdf", pages));
            }
            if (claim.zip()) {
                Path archive = dir.resolve("items.zip");
                zip(claim.items(), files, archive);
                outputs.add(store(claim, BatchOutput.ZIP, archive, prefix + claim.batchId() + ".zip",
                        claim.batchId() + ".zip", ZIP, null));
            }
            return new Produced(outputs);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The items' PDFs, in order, into one; every buffer the merger needs is a temporary file. */
    static void merge(List<Path> files, Path target) throws IOException {
        PDFMergerUtility merger = new PDFMergerUtility();
        for (Path file : files) {
            merger.addSource(file.toFile());
        }
        merger.setDestinationFileName(target.toString());
        merger.mergeDocuments(scratchFiles(target.getParent()));
    }

    /** PDFBox's buffers as temporary files in {@code dir}, which is deleted with its batch (or swept: {@link Scratch}). */
    private static RandomAccessStreamCache.StreamCacheCreateFunction scratchFiles(Path dir) {
        return MemoryUsageSetting.setupTempFileOnly().setTempDir(dir.toFile()).streamCache;
    }

    /** The items' PDFs, each streamed into the archive under its place and its file name. */
    static void zip(List<Item> items, List<Path> files, Path target) throws IOException {
        int width = Math.max(4, Integer.toString(items.size()).length());
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(target))) {
            for (int i = 0; i < items.size(); i++) {
                String number = String.format("%0" + width + "d", items.get(i).index() + 1);
                zip.putNextEntry(new ZipEntry(number + "-" + items.get(i).fileName() + ".pdf"));
                Files.copy(files.get(i), zip);
                zip.closeEntry();
            }
        }
    }

    private BatchOutput store(Claim claim, String kind, Path file, String key, String fileName, String contentType,
            Integer pages) throws IOException {
        String sha256 = storage.putHashed(key, file, contentType);
        BatchOutput output = new BatchOutput();
        output.id = Ids.next(Ids.BATCH_OUTPUT);
        output.batchId = claim.batchId();
        output.projectId = claim.projectId();
        output.kind = kind;
        output.storageKey = key;
        output.fileName = fileName;
        output.contentType = contentType;
        output.bytes = Files.size(file);
        output.pageCount = pages;
        output.sha256 = sha256;
        output.state = RenderOutput.AVAILABLE;
        output.createdAt = Instant.now();
        return output;
    }

    /** Records the try's files when it still holds the claim; a try that lost it deletes its own files. */
    private Uni<Void> record(Claim claim, Produced produced) {
        return Panache.withTransaction(() -> batches.lock(claim.batchId()).chain(batch -> {
            if (batch == null || !RenderBatch.ASSEMBLING.equals(batch.status)
                    || batch.assemblyAttempts != claim.attempt()) {
                return Uni.createFrom().item(false);
            }
            return Panache.getSession().chain(session -> session.persistAll(produced.outputs().toArray()))
                    .chain(() -> ledger.assembled(batch, produced.outputs())).replaceWith(true);
        })).chain(recorded -> {
            if (recorded) {
                LOG.infof("Batch %s assembled (try %d)", claim.batchId(), claim.attempt());
                return Uni.createFrom().voidItem();
            }
            LOG.infof("Batch %s: try %d lost its claim; its files are discarded", claim.batchId(), claim.attempt());
            return storage.deleteQuietly(produced.outputs().stream().map(output -> output.storageKey).toList());
        });
    }

    /** An item's PDF gone fails the batch at once; any other failure is tried again once the lease has passed. */
    private Uni<Void> failed(Claim claim, Throwable failure) {
        if (failure instanceof ItemGone gone) {
            return Panache.withTransaction(() -> batches.lock(claim.batchId()).chain(batch -> batch == null
                    || !RenderBatch.ASSEMBLING.equals(batch.status) ? Uni.createFrom().voidItem()
                            : ledger.assemblyFailed(batch, "output_gone", gone.getMessage())));
        }
        LOG.warnf(failure, "Batch %s: assembly try %d failed; tried again after %s", claim.batchId(), claim.attempt(),
                config.assemblyLease());
        return Uni.createFrom().voidItem();
    }

    private static void deleteQuietly(Path dir) {
        try {
            Scratch.deleteTree(dir);
        } catch (IOException e) {
            LOG.debugf("Could not clean %s: %s", dir, e.getMessage());
        }
    }
}
