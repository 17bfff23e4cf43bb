package io.parley.api.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.parley.api.media.MediaRef;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One timeline entry, as history pages, sync and live frames show it: one record per {@link #kind()}.
 * Built from events in one place, {@link Timeline}. In JSON, {@code kind} names the record and fields that
 * are null are left out; the same {@code kind} property tells a reader (the distributed profile serializes
 * query answers) which record to build.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TimelineEntry.Message.class, name = TimelineEntry.MESSAGE),
        @JsonSubTypes.Type(value = TimelineEntry.Edit.class, name = TimelineEntry.EDIT),
        @JsonSubTypes.Type(value = TimelineEntry.Delete.class, name = TimelineEntry.DELETE),
        @JsonSubTypes.Type(value = TimelineEntry.Reaction.class, name = TimelineEntry.REACTION),
        @JsonSubTypes.Type(value = TimelineEntry.Membership.class, name = TimelineEntry.MEMBERSHIP)})
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"kind", "conversationId", "seq"})
public sealed interface TimelineEntry {
    String MESSAGE = "MESSAGE";
    String EDIT = "EDIT";
    String DELETE = "DELETE";
    String REACTION = "REACTION";
    String MEMBERSHIP = "MEMBERSHIP";

    @JsonProperty("kind")
    String kind();

    String conversationId();

    long seq();

    /**
     * A message. In history its later edits, deletion and reactions are folded in ({@code editedAt},
     * {@code deleted}, {@code reactions}: member id to emoji); a live frame shows it as sent. {@code mentions}
     * lists the member ids the message mentions (always present, empty when none; a group's {@code @all} is
     * stored expanded). {@code forwardedFrom} names the source of a forwarded copy (absent otherwise).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "conversationId", "seq"})
    record Message(String conversationId, long seq, String messageId, String clientMessageId, String senderId,
                   MessageType type, String text, MediaRef media, Long replyTo, Instant sentAt, Instant editedAt,
                   boolean deleted, Map<String, String> reactions, List<String> mentions,
                   ForwardedFrom forwardedFrom) implements TimelineEntry {
        public Message {
            mentions = mentions == null ? List.of() : List.copyOf(mentions);
        }

        /** A message written here (not forwarded). */
        public Message(String conversationId, long seq, String messageId, String clientMessageId, String senderId,
                       MessageType type, String text, MediaRef media, Long replyTo, Instant sentAt,
                       Instant editedAt, boolean deleted, Map<String, String> reactions, List<String> mentions) {
            this(conversationId, seq, messageId, clientMessageId, senderId, type, text, media, replyTo, sentAt,
                    editedAt, deleted, reactions, mentions, null);
        }

        /** A message that mentions no one. */
        public Message(String conversationId, long seq, String messageId, String clientMessageId, String senderId,
                       MessageType type, String text, MediaRef media, Long replyTo, Instant sentAt,
                       Instant editedAt, boolean deleted, Map<String, String> reactions) {
            this(conversationId, seq, messageId, clientMessageId, senderId, type, text, media, replyTo, sentAt,
                    editedAt, deleted, reactions, List.of());
        }

        @Override
        @JsonProperty("kind")
        public String kind() {
            return MESSAGE;
        }

        public Message edited(String newText, Instant at) {
            return new Message(conversationId, seq, messageId, clientMessageId, senderId, type, newText, media,
                    replyTo, sentAt, at, deleted, reactions, mentions, forwardedFrom);
        }

        /** Deleted for everyone: the content goes, its mentions with it; the tombstone keeps the seq. */
        public Message deletedForEveryone() {
            return new Message(conversationId, seq, messageId, clientMessageId, senderId, type, null, null,
                    replyTo, sentAt, editedAt, true, Map.of(), List.of(), forwardedFrom);
        }

        /** {@code emoji} null removes the member's reaction. */
        public Message reacted(String memberId, String emoji) {
            Map<String, String> changed = reactions == null ? new LinkedHashMap<>() : new LinkedHashMap<>(reactions);
            if (emoji == null) {
                changed.remove(memberId);
            } else {
                changed.put(memberId, emoji);
            }
            return new Message(conversationId, seq, messageId, clientMessageId, senderId, type, text, media,
                    replyTo, sentAt, editedAt, deleted, changed, mentions, forwardedFrom);
        }
    }

    /** {@code senderId} is the editor. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "conversationId", "seq"})
    record Edit(String conversationId, long seq, String senderId, String text, long messageSeq, Instant at)
            implements TimelineEntry {
        @Override
        @JsonProperty("kind")
        public String kind() {
            return EDIT;
        }

        /** The edit of a message since deleted for everyone: who and when stay, the text goes with the message. */
        public Edit withoutText() {
            return new Edit(conversationId, seq, senderId, null, messageSeq, at);
        }
    }

    /** {@code actorId} deleted the message at {@code messageSeq}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "conversationId", "seq"})
    record Delete(String conversationId, long seq, long messageSeq, String actorId, Instant at)
            implements TimelineEntry {
        @Override
        @JsonProperty("kind")
        public String kind() {
            return DELETE;
        }
    }

    /** {@code emoji} null: the member's reaction was removed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "conversationId", "seq"})
    record Reaction(String conversationId, long seq, long messageSeq, String memberId, String emoji, Instant at)
            implements TimelineEntry {
        @Override
        @JsonProperty("kind")
        public String kind() {
            return REACTION;
        }
    }

    /**
     * A membership notice. CREATED (seq 0, live only: creation is no timeline seq) carries the group's
     * {@code title}, as RENAMED carries the new one; ADDED, REMOVED, LEFT, ADMIN_GRANTED and ADMIN_REVOKED name the
     * {@code memberId} (ADDED by the member themself: joined through an invite link); DESCRIPTION_CHANGED carries
     * the {@code description} (absent: cleared), AVATAR_CHANGED the {@code avatar}, ANNOUNCEMENT_CHANGED
     * {@code announcement} (true: only admins send); {@code actorId} is who did it (null for an automatic admin
     * promotion).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "conversationId", "seq"})
    record Membership(String conversationId, long seq, String memberId, Action action, String actorId,
                      String title, Instant at, String description, MediaRef avatar, Boolean announcement)
            implements TimelineEntry {
        public enum Action {
            CREATED, ADDED, REMOVED, LEFT, ADMIN_GRANTED, RENAMED, ADMIN_REVOKED, DESCRIPTION_CHANGED,
            AVATAR_CHANGED, ANNOUNCEMENT_CHANGED
        }

        /** A notice about members or the title. */
        public Membership(String conversationId, long seq, String memberId, Action action, String actorId,
                          String title, Instant at) {
            this(conversationId, seq, memberId, action, actorId, title, at, null, null, null);
        }

        @Override
        @JsonProperty("kind")
        public String kind() {
            return MEMBERSHIP;
        }
    }
}
