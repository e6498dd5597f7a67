package io.pressroom.render.browser;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The readiness probe's view of Chromium: the pool's browser answers (it is started first when needed). Asked only
 * in roles that render, so an API-only process never starts Chromium.
 */
@ApplicationScoped
public class ChromiumProbe {

    private final BrowserPool pool;

    public ChromiumProbe(BrowserPool pool) {
        this.pool = pool;
    }

    public String version() throws RenderFailure {
        return pool.version();
    }
}
