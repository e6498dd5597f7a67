package io.pressroom.job.rest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestMulti;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.PlacesPerKey;
import io.pressroom.config.PressroomConfig;
import io.pressroom.job.service.OutputService;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Downloads under way on this pod. Each holds a storage connection for as long as its client reads, so they are
 * counted: at most {@code pressroom.downloads.max-concurrent} in all (below the storage client's pool, so that
 * creates, deploys and renders keep their connections), {@code max-concurrent-per-project} of one project (so that
 * one project's downloads, however slowly read, leave room for the others'), and
 * {@code max-concurrent-per-link} through one signed link (a bearer credential anyone who has it may share). A
 * download whose client takes nothing for {@code stall-timeout} is cut off, and its places freed.
 */
@ApplicationScoped
public class DownloadSlots {

    private static final Logger LOG = Logger.getLogger(DownloadSlots.class);
    private static final String RETRY_AFTER_SECONDS = "1";

    private final PlacesPerKey byLink;
    private final PlacesPerKey byProject;
    private final int total;
    private final Duration stallTimeout;
    private final CurrentVertxRequest request;
    private int inUse;

    public DownloadSlots(PressroomConfig config, CurrentVertxRequest request) {
        this.request = request;
        this.byLink = new PlacesPerKey(config.downloads().maxConcurrentPerLink());
        this.byProject = new PlacesPerKey(config.downloads().maxConcurrentPerProject());
        this.total = config.downloads().maxConcurrent();
        this.stallTimeout = config.downloads().stallTimeout();
    }

    /**
     * A slot for one more download through {@code link}, or 429 {@code too_many_downloads} when all are taken. The
     * returned action gives it back; calling it again does nothing.
     */
    public Runnable take(String link) {
        if (!byLink.take(link)) {
            throw ApiProblem.of(429, "too_many_downloads", "this link is already being downloaded " + byLink.max()
                    + " times at once; retry when one has finished").withHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        return once(() -> byLink.giveBack(link));
    }

    /**
     * Sends the download once it is open, holding a place of the pod's and of its project's until its body ends,
     * fails or is cut off; refused before its first byte (429 or 503) when there is none.
     */
    public RestMulti<Buffer> send(Uni<OutputService.Download> opened) {
        HttpServerRequest http = request.getCurrent().request();
        return DownloadResource.send(opened.map(download -> {
            Runnable release = takeForProject(download.projectId());
            return download.withBody(download.body()
                    // a client that stops reading stops the reads from storage (back-pressure), so no part comes:
                    // its places are freed, the storage read cancelled (its connection back in the pool), and its
                    // response reset
                    .ifNoItem().after(stallTimeout).failWith(Stalled::new)
                    .onFailure(Stalled.class).recoverWithMulti(() -> {
                        LOG.infof("A download of a file of project %s was cut off: its client took nothing for %d s",
                                download.projectId(), stallTimeout.toSeconds());
                        release.run();
                        cutOff(http);
                        return Multi.createFrom().nothing();
                    })).onEnd(release);
        }));
    }

    /**
     * Ends a download at once: an HTTP/2 stream is reset, an HTTP/1.1 connection closed with a reset ({@code SO_LINGER}
     * 0, as nginx's {@code reset_timedout_connection}). Vert.x's own close of a connection (and its response's reset)
     * waits until what was written has been flushed, which a client that reads nothing never lets happen: it kept the
     * connection and the file's unsent part until the idle timeout. Vert.x closes an idle connection the same way as
     * here, from its handler's context on towards the socket, past the handler's flushing close.
     */
    private static void cutOff(HttpServerRequest http) {
        if (http.version() == HttpVersion.HTTP_2) {
            http.response().reset();
            return;
        }
        ChannelHandlerContext context = ((ConnectionBase) http.connection()).channelHandlerContext();
        context.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        context.close();
    }

    /** No part of a download was taken by its client within the stall timeout. */
    private static final class Stalled extends RuntimeException {
        Stalled() {
            super(null, null, false, false);
        }
    }

    private Runnable takeForProject(String projectId) {
        synchronized (this) {
            if (!byProject.take(projectId)) {
                throw ApiProblem.of(429, "too_many_downloads", "the project's files are already being downloaded "
                        + byProject.max() + " times at once on this API pod; retry when one has finished")
                        .withHeader("Retry-After", RETRY_AFTER_SECONDS);
            }
            if (total > 0 && inUse >= total) {
                byProject.giveBack(projectId);
                throw ApiProblem.serverBusy("this API pod is serving " + total + " downloads at once");
            }
            inUse++;
        }
        return once(() -> {
            synchronized (this) {
                inUse--;
                byProject.giveBack(projectId);
            }
        });
    }

    private static Runnable once(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }
}
