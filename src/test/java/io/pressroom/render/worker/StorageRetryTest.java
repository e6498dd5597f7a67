package io.pressroom.render.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.pressroom.contract.ErrorCode;
import io.pressroom.render.browser.RenderFailure;
import io.pressroom.template.TemplateEngine.TemplateException;

class StorageRetryTest {

    @Test
    void storageThatComesBackWithinTheBudgetIsWaitedFor() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        String value = StorageRetry.call(10_000, "load the payload", () -> {
            if (tries.incrementAndGet() < 3) {
                throw new IllegalStateException("connection refused");
            }
            return "payload";
        });
        assertThat(value).isEqualTo("payload");
        assertThat(tries).hasValue(3);
    }

    @Test
    void storageStillAwayWhenTheBudgetIsSpentFailsTheAttemptAsARetryableStorageError() {
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> StorageRetry.run(1_200, "store the PDF", () -> {
            tries.incrementAndGet();
            throw new IllegalStateException("connection refused");
        })).isInstanceOfSatisfying(RenderFailure.class, failure -> {
            assertThat(failure.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.getMessage()).isEqualTo("could not store the PDF");
        });
        assertThat(tries.get()).isBetween(2, 3);
    }

    @Test
    void aTemplateThatDoesNotCompileIsNotAStorageFault() {
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> StorageRetry.call(10_000, "load the template", () -> {
            tries.incrementAndGet();
            throw new TemplateException(1, 1, "unclosed {{#each}}");
        })).isInstanceOf(TemplateException.class);
        assertThat(tries).hasValue(1);
    }
}
