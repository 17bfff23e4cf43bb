package io.parley.command.conversation;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.Scope;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Lets several nodes keep the conversation cache (docs/design.md, section 14). Before a command handler of
 * {@link Conversation} runs on an aggregate that already exists, this reads the conversation's events after the
 * version in hand from the event store (one indexed query, empty when nobody else wrote) and applies them to
 * the aggregate, as a load would have. The aggregate is then what the store holds, and an event another node
 * appends after this read is caught by the store's unique key on (aggregate, sequence) when this command
 * appends. Should the store not continue right after the version in hand, a {@link ConcurrencyException} rolls
 * the unit of work back (which drops the aggregate from the cache) and the command bus's conflict retry loads
 * it afresh.
 * <p>
 * The append conflict alone does not suffice: a command checked against stale state can be <em>refused</em>
 * (a member added elsewhere is "not a member" here) or answered without an event (a send already recorded
 * elsewhere), and neither appends anything that could conflict.
 */
public final class CachedConversationCheck implements HandlerEnhancerDefinition {

    private static final Logger log = LoggerFactory.getLogger(CachedConversationCheck.class);

    private final boolean enabled;
    private final Supplier<EventStore> eventStore;

    /**
     * @param enabled    false on a lone node, whose cache nobody else can make stale: no handler is wrapped
     * @param eventStore resolved on first use: handler definitions are built before the event store bean
     */
    public CachedConversationCheck(boolean enabled, Supplier<EventStore> eventStore) {
        this.enabled = enabled;
        this.eventStore = eventStore;
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        if (!enabled || !Conversation.class.equals(original.declaringClass())
                || !original.canHandleMessageType(CommandMessage.class)) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                if (target != null) {
                    catchUp();
                }
                return super.handle(message, target);
            }
        };
    }

    private void catchUp() {
        // command handlers run inside their aggregate's scope (AnnotatedAggregate.handle)
        if (!(Scope.getCurrentScope() instanceof EventSourcedAggregate<?> aggregate) || aggregate.version() == null) {
            return; // being created by this very command: nothing cached, nothing stored
        }
        String id = aggregate.identifierAsString();
        long version = aggregate.version();
        DomainEventStream newer = eventStore.get().readEvents(id, version + 1);
        if (!newer.hasNext()) {
            return;
        }
        long first = newer.peek().getSequenceNumber();
        if (first != version + 1) {
            throw new ConcurrencyException("conversation " + id + " continues at " + first + " in the event store,"
                    + " not at " + (version + 1) + ": loaded again");
        }
        aggregate.initializeState(newer);
        log.debug("conversation {} caught up from {} to {} (appended on another node)", id, version,
                aggregate.version());
    }
}
