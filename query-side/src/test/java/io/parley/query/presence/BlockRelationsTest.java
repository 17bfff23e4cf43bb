package io.parley.query.presence;

import com.mongodb.client.MongoDatabase;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import io.parley.api.account.Role;
import io.parley.projections.account.AccountProjection;
import io.parley.projections.account.AccountViews;
import io.parley.projections.support.InMemoryMongo;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who blocked whom, read from the accounts view on a miss and changed by the block events at once, whether the
 * view has applied them yet or not (the live processor may run ahead of the accounts projection).
 */
class BlockRelationsTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();
    private AnnotationEventHandlerAdapter accounts;
    private BlockRelations blocks;

    @BeforeEach
    void setUp() {
        MongoDatabase database = mongo.client().getDatabase("blocks-test");
        database.drop();
        accounts = new AnnotationEventHandlerAdapter(new AccountProjection(database));
        blocks = new BlockRelations(new AccountViews(database),
                new PresenceProperties(Duration.ofMinutes(1), 1000, Duration.ofMinutes(10)));
    }

    private void project(Object event) {
        try {
            accounts.handle(GenericEventMessage.asEventMessage(event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBlockStoredBeforeTheNodeStartedIsReadFromTheView() {
        project(new AccountRegistered("ann", "ann", "Ann", EnumSet.of(Role.USER), T0));
        project(new UserBlocked("ann", "bob", T0));
        assertThat(blocks.eitherBlocks("ann", "bob")).isTrue();
        assertThat(blocks.eitherBlocks("bob", "ann")).as("both ways").isTrue();
        assertThat(blocks.eitherBlocks("ann", "cal")).isFalse();
    }

    @Test
    void eventsAheadOfTheViewApplyAtOnceAndAgreeWithItLater() {
        project(new AccountRegistered("ann", "ann", "Ann", EnumSet.of(Role.USER), T0));
        assertThat(blocks.eitherBlocks("ann", "bob")).isFalse(); // cached: nobody blocked
        UserBlocked blocked = new UserBlocked("ann", "bob", T0);
        blocks.on(blocked);
        assertThat(blocks.eitherBlocks("ann", "bob")).isTrue();
        project(blocked);
        blocks.on(blocked);
        assertThat(blocks.eitherBlocks("ann", "bob")).isTrue();

        UserUnblocked unblocked = new UserUnblocked("ann", "bob", T0);
        blocks.on(unblocked); // the view has not applied it
        assertThat(blocks.eitherBlocks("ann", "bob")).isFalse();
        // an account not cached yet: the event applies to what the view holds
        blocks.on(new UserBlocked("cal", "ann", T0));
        assertThat(blocks.eitherBlocks("ann", "cal")).isTrue();
    }
}
