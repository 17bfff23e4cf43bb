package io.parley.gateway.stomp;

import io.parley.api.common.CommandRejected;
import io.parley.gateway.web.Problems;
import io.parley.gateway.app.StoreFailures;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A failed command as the {@code {type, detail}} error body STOMP clients get: the same problem types as the
 * REST API ({@code https://parley.io/problems/<code>}), never an exception's internals.
 */
final class CommandErrors {
    private CommandErrors() {
    }

    static Map<String, String> of(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        CommandRejected rejected = null;
        if (t instanceof CommandRejected r) {
            rejected = r;
        } else if (t instanceof CommandExecutionException e) {
            // a handler on another node (Axon Server) sends the rejection back as details
            rejected = e.getCause() instanceof CommandRejected r ? r
                    : e.getDetails().filter(CommandRejected.class::isInstance).map(CommandRejected.class::cast).orElse(null);
        }
        if (rejected != null) {
            return StompSender.error(type(rejected.code()), rejected.getMessage());
        }
        if (t instanceof AggregateNotFoundException
                || t instanceof CommandExecutionException e && e.getCause() instanceof AggregateNotFoundException) {
            // as REST's 404 (ProblemHandling): a conversation that does not exist, never an internal error
            return StompSender.error(type("not-found"), "conversation not found");
        }
        if (StoreFailures.isUnavailable(t)) {
            // no ack (README, "Crash safety"): the client resends the same clientMessageId shortly; should the
            // lost connection have hidden a commit, the resend is acked with the stored message, never stored twice
            return StompSender.error(type(StoreFailures.CODE), "the store is unavailable (being restarted); "
                    + "not acknowledged: send it again after " + StoreFailures.RETRY_AFTER_SECONDS + " s");
        }
        return StompSender.error(type("internal-error"), "the server could not handle this; retry later");
    }

    static String type(String code) {
        return Problems.TYPE_BASE + code;
    }
}
