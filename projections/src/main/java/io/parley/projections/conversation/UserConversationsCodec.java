package io.parley.projections.conversation;

import io.parley.api.conversation.ConversationQueries.MessagePreview;
import org.bson.BsonReader;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored shape of {@link UserConversations} (the only code naming its fields): {@code _id} and
 * {@code convs.<conversationId>} with {@code joinedSeq}, {@code read}, {@code muted}, {@code mutedUntil},
 * {@code removedSeq}, {@code removedAt}, {@code preview}, {@code previewAt}, {@code starred} and {@code hidden}
 * (message seqs, absent when none), {@code ownWithheld}; and the idempotent updates that
 * write them ({@code $set}, {@code $max}, {@code $unset} on dotted paths), so a group message never rewrites
 * whole user documents.
 */
final class UserConversationsCodec implements Codec<UserConversations> {
    private final DocumentCodec documents = new DocumentCodec();

    @Override
    public Class<UserConversations> getEncoderClass() {
        return UserConversations.class;
    }

    @Override
    public void encode(BsonWriter writer, UserConversations user, EncoderContext context) {
        Document convs = new Document();
        user.conversations().forEach((cid, e) -> {
            Document conv = new Document("joinedSeq", e.joinedSeq()).append("read", e.read()).append("muted", e.muted());
            if (e.mutedUntil() != null) {
                conv.append("mutedUntil", Dates.date(e.mutedUntil()));
            }
            if (e.removedSeq() != null) {
                conv.append("removedSeq", e.removedSeq()).append("removedAt", Dates.date(e.removedAt()))
                        .append("preview", ConversationSummaryCodec.preview(e.preview()))
                        .append("previewAt", Dates.date(e.previewAt()));
            }
            if (!e.starred().isEmpty()) {
                conv.append("starred", e.starred());
            }
            if (!e.hidden().isEmpty()) {
                conv.append("hidden", new java.util.ArrayList<>(new java.util.TreeSet<>(e.hidden())));
            }
            if (e.ownWithheld() != null) {
                conv.append("ownWithheld", ConversationSummaryCodec.preview(e.ownWithheld()));
            }
            convs.put(cid, conv);
        });
        documents.encode(writer, new Document("_id", user.id()).append("convs", convs), context);
    }

    @Override
    public UserConversations decode(BsonReader reader, DecoderContext context) {
        Document doc = documents.decode(reader, context);
        Map<String, UserConversations.Entry> conversations = new LinkedHashMap<>();
        Document convs = doc.get("convs", Document.class);
        if (convs != null) {
            convs.forEach((cid, value) -> {
                if (value instanceof Document c) {
                    Object removedSeq = c.get("removedSeq");
                    conversations.put(cid, new UserConversations.Entry(ConversationSummaryCodec.number(c, "joinedSeq"),
                            ConversationSummaryCodec.number(c, "read"), c.getBoolean("muted", false),
                            Dates.instant(c.getDate("mutedUntil")),
                            removedSeq == null ? null : ((Number) removedSeq).longValue(),
                            Dates.instant(c.getDate("removedAt")),
                            ConversationSummaryCodec.preview(c.get("preview", Document.class)),
                            Dates.instant(c.getDate("previewAt")), seqs(c.getList("starred", Number.class)),
                            new java.util.LinkedHashSet<>(seqs(c.getList("hidden", Number.class))),
                            ConversationSummaryCodec.preview(c.get("ownWithheld", Document.class))));
                }
            });
        }
        return new UserConversations(doc.getString("_id"), conversations);
    }

    /** Joined (or rejoined) at {@code seq} with nothing unread up to {@code readUpTo}; a departure is forgotten. */
    static Bson joined(String cid, long seq, long readUpTo, boolean rejoin) {
        Document update = new Document("$set", new Document(path(cid, "joinedSeq"), seq))
                .append("$max", new Document(path(cid, "read"), readUpTo));
        if (rejoin) {
            update.append("$unset", new Document(path(cid, "removedSeq"), "").append(path(cid, "removedAt"), "")
                    .append(path(cid, "preview"), "").append(path(cid, "previewAt"), ""));
        }
        return update;
    }

    /** Left or removed at {@code seq}: the inbox keeps the conversation as it stood then. */
    static Bson departed(String cid, long seq, Instant at, MessagePreview preview, Instant previewAt) {
        return new Document("$set", new Document(path(cid, "removedSeq"), seq).append(path(cid, "removedAt"), Dates.date(at))
                .append(path(cid, "preview"), ConversationSummaryCodec.preview(preview))
                .append(path(cid, "previewAt"), Dates.date(previewAt)));
    }

    /** The sender's latest message withheld from the other side, for the sender's own inbox preview. */
    static Bson ownWithheld(String cid, MessagePreview preview) {
        return new Document("$set", new Document(path(cid, "ownWithheld"), ConversationSummaryCodec.preview(preview)));
    }

    static Bson readUpTo(String cid, long seq) {
        return readUpTo(Map.of(cid, seq));
    }

    /** Read marks of several conversations of one user in one update. */
    static Bson readUpTo(Map<String, Long> seqByConversation) {
        Document max = new Document();
        seqByConversation.forEach((cid, seq) -> max.append(path(cid, "read"), seq));
        return new Document("$max", max);
    }

    /** {@code until} null: muted until unmuted. */
    static Bson muted(String cid, Instant until) {
        return new Document("$set", new Document(path(cid, "muted"), true).append(path(cid, "mutedUntil"), Dates.date(until)));
    }

    static Bson unmuted(String cid) {
        return new Document("$set", new Document(path(cid, "muted"), false))
                .append("$unset", new Document(path(cid, "mutedUntil"), ""));
    }

    /** Adds the seq once ({@code $addToSet}): a replayed star changes nothing. */
    static Bson starred(String cid, long seq) {
        return new Document("$addToSet", new Document(path(cid, "starred"), seq));
    }

    static Bson unstarred(String cid, long seq) {
        return new Document("$pull", new Document(path(cid, "starred"), seq));
    }

    /** Deleted for the user: hidden from their views, and no longer starred. */
    static Bson hidden(String cid, long seq) {
        return new Document("$addToSet", new Document(path(cid, "hidden"), seq))
                .append("$pull", new Document(path(cid, "starred"), seq));
    }

    private static List<Long> seqs(List<Number> stored) {
        return stored == null ? List.of() : stored.stream().map(Number::longValue).toList();
    }

    private static String path(String cid, String field) {
        return "convs." + cid + "." + field;
    }
}
