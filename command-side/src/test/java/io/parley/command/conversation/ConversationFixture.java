package io.parley.command.conversation;

import io.parley.api.common.CommandRejected;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ConversationIds;
import io.parley.api.conversation.MessageType;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The set-up every Conversation test shares: a fixture with the rules injected (a block list and a media
 * port the test can change), the accounts and ids, and builders for the usual given events. One
 * given/when/then per rule of docs/design.md, section 3 and issues 5 and 6, split by feature into the
 * subclasses.
 */
abstract class ConversationFixture {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final String A = "a-0000", B = "b-0000", C = "c-0000", D = "d-0000", OUTSIDER = "z-0000";
    static final String GROUP = "group-1";
    static final String DIRECT = ConversationIds.direct(A, B);

    AggregateTestFixture<Conversation> fixture;
    final List<String> blocked = new ArrayList<>(); // "blocker>blocked"
    /** Ids the KnownAccounts port answers as never registered; every other id is an account. */
    final Set<String> unregistered = new HashSet<>();
    /** Every question the KnownAccounts port was asked, in order. */
    final List<List<String>> knownAccountQueries = new ArrayList<>();
    MediaOwnership mediaOwnership;

    @BeforeEach
    void setUp() {
        mediaOwnership = null;
        fixture = newFixture();
    }

    /** A fixture wired like the one each test starts with: for tests that need a second, fresh one. */
    AggregateTestFixture<Conversation> newFixture() {
        AggregateTestFixture<Conversation> created = new AggregateTestFixture<>(Conversation.class);
        // resolved per call so a test can install a media port after the fixture exists
        MediaOwnership delegating = new MediaOwnership() {
            @Override
            public Optional<io.parley.api.media.MediaRef> resolveOwned(io.parley.api.media.MediaRef ref,
                                                                      String account) {
                return mediaOwnership == null ? Optional.empty() : mediaOwnership.resolveOwned(ref, account);
            }

            @Override
            public Optional<io.parley.api.media.MediaRef> resolveRecorded(String mediaId) {
                return mediaOwnership == null ? Optional.empty() : mediaOwnership.resolveRecorded(mediaId);
            }
        };
        created.registerInjectableResource(new ConversationRules(ConversationProperties.defaults(),
                delegating, (blocker, blockedId) -> blocked.contains(blocker + ">" + blockedId), ids -> {
                    knownAccountQueries.add(List.copyOf(ids));
                    Set<String> unknown = new LinkedHashSet<>(ids);
                    unknown.retainAll(unregistered);
                    return unknown;
                }));
        return created;
    }

    static Matcher<Object> rejected(Rejection rejection) {
        return new CustomTypeSafeMatcher<>("rejection " + rejection.code()) {
            @Override
            protected boolean matchesSafely(Object item) {
                return item instanceof CommandRejected r && r.code().equals(rejection.code());
            }
        };
    }

    static void expectRejected(ResultValidator<Conversation> result, Rejection rejection) {
        result.expectException(rejected(rejection)).expectNoEvents();
    }

    static GroupCreated group(String... members) {
        return new GroupCreated(GROUP, "Team", members[0], List.of(members), T0);
    }

    static MessageSent sent(String conversation, long seq, String sender, String text) {
        return sent(conversation, seq, sender, text, T0);
    }

    static MessageSent sent(String conversation, long seq, String sender, String text, Instant at) {
        return new MessageSent(conversation, seq, Conversation.messageId(conversation, seq), "c" + seq, sender,
                MessageType.TEXT, text, null, null, at);
    }

    static DirectConversationStarted direct() {
        return new DirectConversationStarted(DIRECT, List.of(A, B), A, T0);
    }
}
