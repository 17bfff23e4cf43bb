package io.parley.query.audit;

import io.parley.api.account.AccountEvents;
import io.parley.api.audit.AuditEvents;
import io.parley.api.conversation.ConversationEvents;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.api.media.MediaEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventPartiesTest {

    /** Every event record of the contracts must say who acted: a new event without parties fails here. */
    @Test
    void everyEventOfTheContractsIsListed() {
        List<Class<?>> events = Arrays.stream(new Class<?>[]{AccountEvents.class, ConversationEvents.class,
                        MediaEvents.class, AuditEvents.class, io.parley.api.report.ReportEvents.class})
                .flatMap(holder -> Arrays.stream(holder.getDeclaredClasses()))
                .filter(Class::isRecord)
                .toList();
        assertThat(events).hasSizeGreaterThan(20);
        assertThat(EventParties.byName().values()).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void actorAndSubjectsComeFromThePayload() {
        EventParties.Parties removal = EventParties.of(new MemberRemoved("c", 4, "bob", "alice", Instant.EPOCH));
        assertThat(removal.actorId()).isEqualTo("alice");
        assertThat(removal.involve("bob")).isTrue();
        assertThat(removal.involve("alice")).isTrue();
        assertThat(removal.involve("carol")).isFalse();
        assertThat(EventParties.of(new MessagesRead("c", "bob", 3, Instant.EPOCH)).actorId()).isEqualTo("bob");
        assertThat(EventParties.of("not an event").actorId()).isNull();
        assertThat(EventParties.of(null).involve("bob")).isFalse();
    }
}
