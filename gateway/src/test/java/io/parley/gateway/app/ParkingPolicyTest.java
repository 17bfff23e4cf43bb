package io.parley.gateway.app;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.Cause;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParkingPolicyTest {

    private final ParkingPolicy policy = new ParkingPolicy();

    @Test
    void textLosesWhatPostgresRefusesAndFitsTheColumn() {
        assertThat(ParkingPolicy.safeText("a\u0000b\u0007c\td\ne\rf\u007f", 100)).isEqualTo("a\uFFFDb\uFFFDc\td\ne\rf\uFFFD");
        assertThat(ParkingPolicy.safeText("lone \uD800 high, lone \uDC00 low", 100))
                .isEqualTo("lone \uFFFD high, lone \uFFFD low");
        assertThat(ParkingPolicy.safeText("x".repeat(5000), 1023)).hasSize(1023);
        // a pair is never cut in two at the limit
        assertThat(ParkingPolicy.safeText("ab\uD83D\uDE00", 3)).isEqualTo("ab");
        assertThat(ParkingPolicy.safeText("ab\uD83D\uDE00", 4)).isEqualTo("ab\uD83D\uDE00");
        assertThat(ParkingPolicy.safeText(null, 10)).isNull();
    }

    @Test
    void alwaysParksWithASafeCauseAndCountsRetries() {
        EventMessage<?> event = GenericEventMessage.asEventMessage("payload \u0000");
        IllegalStateException failure = new IllegalStateException("unknown member a\u0000b " + "y".repeat(3000));
        DeadLetter<EventMessage<?>> first = new GenericDeadLetter<>("seq", event, failure);

        EnqueueDecision<EventMessage<?>> decision = policy.decide(first, failure);
        assertThat(decision.shouldEnqueue()).isTrue();
        Throwable enqueueCause = decision.enqueueCause().orElseThrow();
        Cause cause = (Cause) enqueueCause;
        assertThat(cause.type()).isEqualTo(IllegalStateException.class.getName());
        assertThat(cause.message()).startsWith("unknown member a\uFFFDb yyy").doesNotContain("\u0000").hasSize(1023);
        DeadLetter<? extends EventMessage<?>> parked = decision.withDiagnostics(first.withCause(enqueueCause));
        assertThat(parked.diagnostics().get(ParkingPolicy.RETRIES)).isEqualTo(0);
        assertThat(parked.cause().orElseThrow().message()).isEqualTo(cause.message());

        // processing it again failed: one more retry (stored diagnostics come back as numbers or strings)
        DeadLetter<EventMessage<?>> stored = first.withDiagnostics(MetaData.with(ParkingPolicy.RETRIES, "2"));
        EnqueueDecision<EventMessage<?>> again = policy.decide(stored, failure);
        assertThat(again.shouldEnqueue()).isTrue();
        assertThat(again.withDiagnostics(stored).diagnostics().get(ParkingPolicy.RETRIES)).isEqualTo(3);
    }

    /** A store that cannot be reached is not the event's fault: the batch fails and is retried, nothing is parked. */
    @Test
    void aStoreThatCannotBeReachedIsRetriedNotParked() {
        EventMessage<?> event = GenericEventMessage.asEventMessage("payload");
        RuntimeException[] unreachable = {
                new java.io.UncheckedIOException(new java.net.ConnectException("Connection refused")),
                new org.springframework.transaction.CannotCreateTransactionException("no connection",
                        new java.sql.SQLTransientConnectionException("parley-postgres - Connection is not available")),
                new IllegalStateException(new java.sql.SQLException("the database system is starting up", "57P03")),
                new IllegalStateException(new java.sql.SQLException("An I/O error occurred", "08006")),
                new IllegalStateException(new java.sql.SQLException("Connection is closed")),
                new java.io.UncheckedIOException(new java.io.IOException("Connection reset",
                        new java.net.SocketException("Connection reset")))};
        for (RuntimeException failure : unreachable) {
            DeadLetter<EventMessage<?>> letter = new GenericDeadLetter<>("seq", event, failure);
            assertThatThrownBy(() -> policy.decide(letter, failure))
                    .isInstanceOf(ParkingPolicy.StoreUnavailable.class).hasCause(failure);
        }
        // a constraint violation is the event's own problem: parked as before
        IllegalStateException own = new IllegalStateException(new java.sql.SQLException("duplicate key", "23505"));
        assertThat(policy.decide(new GenericDeadLetter<>("seq", event, own), own).shouldEnqueue()).isTrue();
    }
}
