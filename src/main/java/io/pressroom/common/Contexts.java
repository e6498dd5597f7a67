package io.pressroom.common;

import java.util.concurrent.Executor;

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
}
