package io.pressroom.job.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.job.repository.BatchOutput;
import io.pressroom.job.repository.BatchRepository;
import io.pressroom.job.repository.JobStatus;
import io.pressroom.job.repository.RenderBatch;
import io.pressroom.job.repository.RenderJob;
import io.pressroom.job.service.BatchViews.BatchDetail;
import io.pressroom.job.service.BatchViews.Counts;
import io.pressroom.webhook.service.FinishedBatch;
import io.pressroom.webhook.service.WebhookOutbox;
import io.smallrye.mutiny.Uni;

/**
 * The one writer of a batch's state, always inside the caller's transaction and under the batch's row lock:
 *
 * <pre>
 * running ──(last item ends, all succeeded, merge or zip)──► assembling ──(outputs stored)──► succeeded
 *    │ └──(last item ends, all succeeded, nothing to assemble)───────────────────────────► succeeded
 *    └──(last item ends, one failed or cancelled)──► failed | cancelled (cancelled when a cancel was asked)
 *                                         assembling ──(an item's PDF gone, or too many tries)──► failed
 * </pre>
 *
 * Items end in their own transactions, each counting itself here; the lock makes the last one see the others.
 * Ending a batch writes its webhooks in the same transaction.
 */
@ApplicationScoped
public class BatchLedger {

    private final BatchRepository batches;
    private final WebhookOutbox webhooks;

    public BatchLedger(BatchRepository batches, WebhookOutbox webhooks) {
        this.batches = batches;
        this.webhooks = webhooks;
    }

    /** The item {@code job} has just ended; when it is the batch's last, the batch moves on. */
    Uni<Void> itemEnded(RenderJob job) {
        return batches.lock(job.batchId).chain(batch -> {
            if (batch == null || !RenderBatch.RUNNING.equals(batch.status)) {
                return Uni.createFrom().voidItem();
            }
            if (job.status == JobStatus.succeeded) {
                batch.succeededCount++;
            } else if (job.status == JobStatus.failed) {
                batch.failedCount++;
            } else {
                batch.cancelledCount++;
            }
            batch.updatedAt = Instant.now();
            return batch.ended() < batch.itemCount ? Uni.createFrom().voidItem() : allEnded(batch);
        });
    }

    private Uni<Void> allEnded(RenderBatch batch) {
        if (batch.failedCount + batch.cancelledCount == 0) {
            if (batch.merge || batch.zip) {
                batch.status = RenderBatch.ASSEMBLING;
                batch.assemblyLeaseUntil = null; // due at once
                return Uni.createFrom().voidItem();
            }
            return finish(batch, RenderBatch.SUCCEEDED, null, null, List.of());
        }
        String tally = batch.failedCount + " of " + batch.itemCount + " items failed, " + batch.cancelledCount
                + " were cancelled";
        if (batch.cancelRequested && batch.cancelledCount > 0) {
            return finish(batch, RenderBatch.CANCELLED, "batch_cancelled", "the batch was cancelled: " + tally,
                    List.of());
        }
        return finish(batch, RenderBatch.FAILED, "items_failed", tally, List.of());
    }

    /** Marks a running batch as asked to cancel: its items that end cancelled make it end {@code cancelled}. */
    Uni<RenderBatch> requestCancel(RenderBatch batch) {
        batch.cancelRequested = true;
        batch.updatedAt = Instant.now();
        return Uni.createFrom().item(batch);
    }

    /** Takes the assembly of a batch for {@code lease}: counts the try. */
    void claimAssembly(RenderBatch batch, Instant leaseUntil) {
        batch.assemblyAttempts++;
        batch.assemblyLeaseUntil = leaseUntil;
        batch.updatedAt = Instant.now();
    }

    /** The assembly stored its files: the batch succeeded. */
    Uni<Void> assembled(RenderBatch batch, List<BatchOutput> outputs) {
        return finish(batch, RenderBatch.SUCCEEDED, null, null, outputs);
    }

    /** The assembly cannot be done (an item's PDF is gone, or every try failed). */
    Uni<Void> assemblyFailed(RenderBatch batch, String code, String message) {
        return finish(batch, RenderBatch.FAILED, code, message, List.of());
    }

    private Uni<Void> finish(RenderBatch batch, String status, String code, String message,
            List<BatchOutput> outputs) {
        Instant now = Instant.now();
        batch.status = status;
        batch.errorCode = code;
        batch.errorMessage = message;
        batch.finishedAt = now;
        batch.assemblyLeaseUntil = null;
        batch.updatedAt = now;
        return webhooks.enqueue(new FinishedBatch(batch.id, batch.projectId, status, batch.webhookUrl,
                BatchDetail.of(batch, Counts.ended(batch), outputs)));
    }
}
