package io.parley.gateway.app;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a store that cannot be reached (PostgreSQL down or restarting, Elasticsearch not answering) from every
 * other failure. Such a failure is transient: REST answers 503 {@code store-unavailable} with {@code Retry-After},
 * a STOMP send gets an ack carrying that error type (the message was not stored: the client resends the same
 * {@code clientMessageId}), and an event processor retries the batch instead of parking its events (README,
 * "Crash safety"). It lives with the application's wiring, which the web and STOMP edges already depend on, so
 * that the processors' parking policy can share it without a cycle.
 */
public final class StoreFailures {

    /** The problem type's code: {@code https://parley.io/problems/store-unavailable}. */
    public static final String CODE = "store-unavailable";

    /** What {@code Retry-After} says: about the time a crashed store takes to be restarted by the supervisor. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /**
     * PostgreSQL SQLStates of a lost or refused connection: class 08 (connection exception) and the shutdowns
     * of class 57 ({@code 57P01} admin shutdown, {@code 57P02} crash shutdown, {@code 57P03} cannot connect now,
     * e.g. "the database system is starting up" during crash recovery).
     */
    private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");

    private static final String HIKARI_CLOSED = "Connection is closed";

    /**
     * Apache HttpCore's (the Elasticsearch client's transport) names for a connection the server closed: a pooled
     * keep-alive connection to a node that died. By name, so the classification does not tie the gateway to the
     * client's transport. Refused and reset connections are {@link SocketException}s.
     */
    private static final Set<String> CLOSED_BY_PEER = Set.of("org.apache.http.ConnectionClosedException",
            "org.apache.http.NoHttpResponseException");

    private StoreFailures() {
    }

    /** True when {@code failure}, or one of its causes, says a store could not be reached. */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof SocketException
                    || t instanceof SocketTimeoutException
                    || CLOSED_BY_PEER.contains(t.getClass().getName())) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SHUTDOWN_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            // Hikari's proxy of a connection it already evicted as broken (the server went away in the middle of a
            // unit of work that goes on using it, e.g. a snapshot read that fails over to the event stream) answers
            // every call with this, without a SQLState
            if (t instanceof SQLException sql && sql.getSQLState() == null
                    && HIKARI_CLOSED.equals(sql.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
