package io.pressroom.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A failure and its causes, outermost first. Which layer wraps what (Mutiny, Vert.x, Hibernate Reactive, Kafka's
 * futures, Jackson) changes between versions, so code that asks "was this a timeout?" looks through the whole chain,
 * and it does so here once: a chain that loops back on itself (a cause set to an outer exception) ends instead of
 * spinning.
 */
public final class Causes {

    private Causes() {
    }

    /** {@code failure}, its cause, that one's cause, … each once; empty for null. */
    public static Stream<Throwable> of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain.stream();
    }

    /** The outermost failure in the chain of that type. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        return of(failure).filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The innermost failure: the one that started it. */
    public static Throwable root(Throwable failure) {
        return of(failure).reduce((outer, inner) -> inner).orElse(failure);
    }
}
