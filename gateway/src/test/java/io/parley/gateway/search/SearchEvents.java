package io.parley.gateway.search;

import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.axonframework.eventhandling.gateway.EventGateway;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Produces conversation events the way the Conversation aggregate would (gap-free seqs per conversation) and
 * publishes them through Axon, so the tests exercise the real processor, index and query path.
 */
public final class SearchEvents {

    private final EventGateway events;

    public SearchEvents(EventGateway events) {
        this.events = events;
    }

    public Conversation group(String creatorId, String... memberIds) {
        String id = UUID.randomUUID().toString();
        events.publish(new GroupCreated(id, "group " + id, creatorId, List.of(memberIds), Instant.now()));
        return new Conversation(id);
    }

    public void publish(Object... payloads) {
        events.publish(payloads);
    }

    public final class Conversation {
        public final String id;
        private final AtomicLong seq = new AtomicLong();

        Conversation(String id) {
            this.id = id;
        }

        public long nextSeq() {
            return seq.incrementAndGet();
        }

        public long send(String senderId, String text, Instant sentAt) {
            long s = nextSeq();
            events.publish(new MessageSent(id, s, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    senderId, MessageType.TEXT, text, null, null, sentAt));
            return s;
        }

        public long sendMedia(String senderId, MessageType type, String caption, String fileName, long size,
                              Instant sentAt) {
            long s = nextSeq();
            MediaRef media = new MediaRef(UUID.randomUUID().toString(), MediaKind.valueOf(type.name()),
                    type == MessageType.DOCUMENT ? "application/pdf" : "image/jpeg", size, null, null, fileName,
                    false);
            events.publish(new MessageSent(id, s, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    senderId, type, caption, media, null, sentAt));
            return s;
        }
    }
}
