package io.parley.embedded.stack;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.parley.embedded.EmbeddedStackException;

/**
 * Whether the Elasticsearch node (embedded or external) answers. Beans that create indexes call
 * {@link #await()} first (or chain on {@link #whenReady()}); the application does not report ready before it.
 */
public final class ElasticsearchReadiness {

    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Duration defaultTimeout;

    public ElasticsearchReadiness(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }

    public boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** Completes with the node's URL when it answers, exceptionally when it failed to start. */
    public CompletableFuture<String> whenReady() {
        return ready.copy();
    }

    /** Blocks until the node answers ({@code chat.search.start-timeout}); throws with the reason otherwise. */
    public String await() {
        return await(defaultTimeout);
    }

    public String await(Duration timeout) {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new EmbeddedStackException("Elasticsearch did not become ready within " + timeout.toSeconds()
                    + " s (chat.search.start-timeout)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof EmbeddedStackException ese ? new EmbeddedStackException(ese.getMessage(), ese)
                    : new EmbeddedStackException("Elasticsearch failed to start: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStackException("Interrupted while waiting for Elasticsearch", e);
        }
    }

    void complete(String url) {
        ready.complete(url);
    }

    void fail(Throwable t) {
        ready.completeExceptionally(t);
    }
}
