package io.parley.command.conversation;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.Scope;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Lets several nodes keep the conversation cache (docs/design.md, section 14). Before a command handler of
 * {@link Conversation} runs on an aggregate that already exists, this asks the event store for the
 * conversation's last sequence number (one indexed lookup) and compares it with the version of the aggregate
 * in hand. Equal: the aggregate is what the store holds, and an event another node appends after this look is
 * caught by the store's unique key on (aggregate, sequence) when this command appends. Different: another node
 * appended since this one cached it; the handler does not run, a {@link ConcurrencyException} rolls the unit of
 * work back (which drops the aggregate from the cache) and the command bus's conflict retry loads it afresh.
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
        if (!enabled || !Conversation.class.equals(original.declaringClass()) || !original.canHandleMessageType(CommandMessage.class)) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                if (target != null) {
                    requireCurrent();
                }
                return super.handle(message, target);
            }
        };
    }

    private void requireCurrent() {
        // command handlers run inside their aggregate's scope (AnnotatedAggregate.handle)
        if (!(Scope.getCurrentScope() instanceof Aggregate<?> aggregate) || aggregate.version() == null) {
            return; // being created by this very command: nothing cached, nothing stored
        }
        String id = aggregate.identifierAsString();
        Long stored = eventStore.get().lastSequenceNumberFor(id).orElse(null);
        if (!Objects.equals(stored, aggregate.version())) {
            log.debug("conversation {} is at {} in the event store, {} here: loaded again", id, stored,
                    aggregate.version());
            throw new ConcurrencyException("conversation " + id + " changed on another node (stored sequence "
                    + stored + ", cached " + aggregate.version() + ")");
        }
    }
}
