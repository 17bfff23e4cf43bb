package io.parley.command.conversation;

import io.parley.api.common.CommandRejected;
import io.parley.api.conversation.ConversationCommands.AddMember;
import io.parley.api.conversation.ConversationCommands.CreateGroup;
import io.parley.api.conversation.ConversationCommands.SendMessage;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.annotation.ClasspathHandlerDefinition;
import org.axonframework.messaging.annotation.ClasspathHandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MultiHandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiHandlerDefinition;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.modelling.command.AggregateAnnotationCommandHandler;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two nodes, each with its own conversation cache, on one event store: what one appends, the other's cached
 * copy does not know. With the check the copy catches up before a command is decided on; without it the other
 * node's new member is refused, with no append that could conflict.
 */
class CachedConversationCheckTest {

    private static final String GROUP = "group-1", A = "a-0000", B = "b-0000", C = "c-0000";

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    @Test
    void aConversationChangedOnAnotherNodeCatchesUpBeforeItsRulesAreChecked() {
        CommandGateway node1 = node(true), node2 = node(true);
        node1.sendAndWait(new CreateGroup(GROUP, A, "team", List.of(B)));     // cached on node 1
        node2.sendAndWait(new AddMember(GROUP, A, C));                         // node 1 does not know

        node1.sendAndWait(send(C, "c-1", "hi, I am new"));                     // node 1 reads the add first
        node2.sendAndWait(send(B, "b-1", "welcome"));                          // node 2 is behind by c-1
        node1.sendAndWait(send(A, "a-1", "hello"));                            // and node 1 by b-1

        assertThat(sent()).containsExactly("c-1", "b-1", "a-1");
        List<Long> seqs = seqs();
        assertThat(seqs).as("each node's copy carried on from the other's last message (the add took the seq before)")
                .containsExactly(seqs.get(0), seqs.get(0) + 1, seqs.get(0) + 2);
    }

    @Test
    void withoutTheCheckTheStaleCopyRefusesWhatTheStoredStateAllows() {
        CommandGateway node1 = node(false), node2 = node(false);
        node1.sendAndWait(new CreateGroup(GROUP, A, "team", List.of(B)));
        node2.sendAndWait(new AddMember(GROUP, A, C));

        assertThatThrownBy(() -> node1.sendAndWait(send(C, "c-1", "hi, I am new")))
                .isInstanceOf(CommandRejected.class)
                .satisfies(e -> assertThat(((CommandRejected) e).code()).isEqualTo("not-a-member"));
        assertThat(sent()).isEmpty();
    }

    @Test
    void aConversationNobodyElseChangedIsUsedAsCached() {
        CommandGateway node1 = node(true);
        node1.sendAndWait(new CreateGroup(GROUP, A, "team", List.of(B)));
        node1.sendAndWait(send(A, "a-1", "one"));
        node1.sendAndWait(send(B, "b-1", "two"));
        assertThat(sent()).containsExactly("a-1", "b-1");
    }

    @Test
    void theEventStoreRecordsTheAggregateTypeTheProjectionsLookFor() {
        node(true).sendAndWait(new CreateGroup(GROUP, A, "team", List.of(B)));
        assertThat(store.readEvents(GROUP).asStream().map(DomainEventMessage::getType))
                .containsOnly(io.parley.api.conversation.ConversationIds.AGGREGATE_TYPE);
    }

    /** One node's command side: its own cache and handlers, the shared store. */
    private CommandGateway node(boolean check) {
        ConversationRules rules = new ConversationRules(ConversationProperties.defaults(),
                new MediaOwnership() {
                    @Override
                    public Optional<io.parley.api.media.MediaRef> resolveOwned(io.parley.api.media.MediaRef ref,
                                                                              String account) {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<io.parley.api.media.MediaRef> resolveRecorded(String mediaId) {
                        return Optional.empty();
                    }
                }, (blocker, blocked) -> false, ids -> Set.of());
        var parameters = MultiParameterResolverFactory.ordered(
                ClasspathParameterResolverFactory.forClass(Conversation.class),
                new SimpleResourceParameterResolverFactory(Set.of(rules)));
        var enhancers = MultiHandlerEnhancerDefinition.ordered(
                ClasspathHandlerEnhancerDefinition.forClass(Conversation.class),
                new CachedConversationCheck(check, () -> store));
        var handlers = MultiHandlerDefinition.ordered(enhancers, ClasspathHandlerDefinition.forClass(Conversation.class));
        AggregateModel<Conversation> model =
                AnnotatedAggregateMetaModelFactory.inspectAggregate(Conversation.class, parameters, handlers);
        var repository = EventSourcingRepository.builder(Conversation.class).aggregateModel(model).eventStore(store)
                .cache(new CaffeineAggregateCache(100)).build();
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        AggregateAnnotationCommandHandler.<Conversation>builder().repository(repository).aggregateModel(model)
                .build().subscribe(bus);
        return DefaultCommandGateway.builder().commandBus(bus).build();
    }

    private static SendMessage send(String sender, String clientMessageId, String text) {
        return new SendMessage(GROUP, sender, clientMessageId, text, null, null);
    }

    private List<Long> seqs() {
        return store.readEvents(GROUP).asStream().map(DomainEventMessage::getPayload)
                .filter(MessageSent.class::isInstance).map(e -> ((MessageSent) e).seq()).toList();
    }

    private List<String> sent() {
        return store.readEvents(GROUP).asStream().map(DomainEventMessage::getPayload)
                .filter(MessageSent.class::isInstance).map(e -> ((MessageSent) e).clientMessageId()).toList();
    }
}
