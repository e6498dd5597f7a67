package io.pressroom.common;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Getting back onto a request's Vert.x context after waiting elsewhere, as Hibernate Reactive requires. */
public final class Contexts {

    private Contexts() {
    }

    /** Runs tasks on the caller's current Vert.x context. */
    public static Executor currentExecutor() {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("not on a Vert.x context");
        }
        return task -> context.runOnContext(ignored -> task.run());
    }

    /**
     * Runs {@code work} on a new, safe duplicated Vert.x context: its own Hibernate Reactive session, whatever else
     * runs beside it. Timer callbacks and HTTP client callbacks need this before they touch the database.
     */
    public static <T> Uni<T> onNewContext(io.vertx.mutiny.core.Vertx vertx, Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored -> {
            Uni<T> run;
            try {
                run = work.get();
            } catch (RuntimeException e) {
                run = Uni.createFrom().failure(e);
            }
            run.subscribe().with(emitter::complete, emitter::fail);
        }));
    }
}
