package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void findsTheOutermostOfATypeAndTheRoot() {
        ConnectException refused = new ConnectException("refused");
        IOException io = new IOException("wrapped", refused);
        CompletionException outer = new CompletionException(io);
        assertThat(Causes.find(outer, IOException.class)).containsSame(io);
        assertThat(Causes.find(outer, ConnectException.class)).containsSame(refused);
        assertThat(Causes.find(outer, IllegalStateException.class)).isEmpty();
        assertThat(Causes.root(outer)).isSameAs(refused);
        assertThat(Causes.of(outer)).containsExactly(outer, io, refused);
        assertThat(Causes.of(null)).isEmpty();
    }

    @Test
    void aChainThatLoopsBackEnds() {
        // initCause refuses only the exception itself; two may name each other, and a loop over getCause() would spin
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b", a);
        a.initCause(b);
        assertThat(Causes.of(a)).containsExactly(a, b);
        assertThat(Causes.root(a)).isSameAs(b);
        assertThat(Transient.is(a)).isFalse();
        assertThat(Db.isUniqueViolation(a, "any")).isFalse();
    }
}
