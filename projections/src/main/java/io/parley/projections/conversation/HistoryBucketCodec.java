package io.parley.projections.conversation;

import io.parley.api.conversation.ForwardedFrom;
import io.parley.api.conversation.MessageType;
import io.parley.api.conversation.TimelineEntry;
import io.parley.api.conversation.TimelineEntry.Delete;
import io.parley.api.conversation.TimelineEntry.Edit;
import io.parley.api.conversation.TimelineEntry.Membership;
import io.parley.api.conversation.TimelineEntry.Message;
import io.parley.api.conversation.TimelineEntry.Reaction;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.bson.BsonReader;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored shape of {@link HistoryBucket} (the only code naming its fields): {@code _id}, {@code cid},
 * {@code b} (the bucket index), {@code entries}, each entry with its {@code seq}, {@code kind} and the fields
 * of its kind (a message's {@code mentions} absent in buckets written before mentions existed: none; its
 * {@code forwardedFrom} {conversationId, seq} only on a forwarded copy); a message
 * entry also carries {@code ord}, and {@code asOf} (when not empty): the message as it
 * stood at a departure seq ({@code upTo}), each in the shape of a message entry. The entry's conversation id
 * is the bucket's.
 */
final class HistoryBucketCodec implements Codec<HistoryBucket> {
    private final DocumentCodec documents = new DocumentCodec();

    @Override
    public Class<HistoryBucket> getEncoderClass() {
        return HistoryBucket.class;
    }

    @Override
    public void encode(BsonWriter writer, HistoryBucket bucket, EncoderContext context) {
        List<Document> entries = new ArrayList<>();
        bucket.entries().forEach(entry -> entries.add(entry(entry)));
        Document doc = new Document("_id", bucket.id()).append("cid", bucket.conversationId())
                .append("b", bucket.index()).append("entries", entries);
        documents.encode(writer, doc, context);
    }

    @Override
    public HistoryBucket decode(BsonReader reader, DecoderContext context) {
        Document doc = documents.decode(reader, context);
        String cid = doc.getString("cid");
        List<HistoryBucket.Entry> entries = new ArrayList<>();
        for (Document e : doc.getList("entries", Document.class, List.of())) {
            entries.add(entry(cid, e));
        }
        return new HistoryBucket(doc.getString("_id"), cid, ((Number) doc.get("b")).longValue(), entries);
    }

    /** One entry in its stored shape (the conversation id is the bucket's), as appended by {@code $push}. */
    static Document entry(HistoryBucket.Entry stored) {
        TimelineEntry entry = stored.entry();
        Document doc = new Document("seq", entry.seq()).append("kind", entry.kind());
        if (entry instanceof Message m) {
            doc.append("messageId", m.messageId()).append("clientMessageId", m.clientMessageId())
                    .append("senderId", m.senderId()).append("type", m.type() == null ? null : m.type().name())
                    .append("text", m.text()).append("media", media(m.media())).append("replyTo", m.replyTo())
                    .append("sentAt", Dates.date(m.sentAt())).append("ord", stored.ord())
                    .append("editedAt", Dates.date(m.editedAt())).append("deleted", m.deleted())
                    .append("reactions", m.reactions() == null ? new Document() : new Document(m.reactions()))
                    .append("mentions", m.mentions());
            if (m.forwardedFrom() != null) {
                doc.append("forwardedFrom", new Document("conversationId", m.forwardedFrom().conversationId())
                        .append("seq", m.forwardedFrom().seq()));
            }
            if (!stored.asOf().isEmpty()) {
                List<Document> asOf = new ArrayList<>();
                stored.asOf().forEach((upTo, frozen) -> asOf.add(entry(new HistoryBucket.Entry(frozen, stored.ord()))
                        .append("upTo", upTo)));
                doc.append("asOf", asOf);
            }
            if (!stored.hiddenFrom().isEmpty()) {
                doc.append("hiddenFrom", stored.hiddenFrom());
            }
        } else if (entry instanceof Edit e) {
            doc.append("messageSeq", e.messageSeq()).append("senderId", e.senderId())
                    .append("text", e.text()).append("at", Dates.date(e.at()));
        } else if (entry instanceof Delete d) {
            doc.append("messageSeq", d.messageSeq()).append("actorId", d.actorId()).append("at", Dates.date(d.at()));
        } else if (entry instanceof Reaction r) {
            doc.append("messageSeq", r.messageSeq()).append("memberId", r.memberId())
                    .append("emoji", r.emoji()).append("at", Dates.date(r.at()));
        } else if (entry instanceof Membership ms) {
            doc.append("action", ms.action().name()).append("memberId", ms.memberId())
                    .append("actorId", ms.actorId()).append("at", Dates.date(ms.at()));
            if (ms.title() != null) {
                doc.append("title", ms.title());
            }
            if (ms.description() != null) {
                doc.append("description", ms.description());
            }
            if (ms.avatar() != null) {
                doc.append("avatar", media(ms.avatar()));
            }
            if (ms.announcement() != null) {
                doc.append("announcement", ms.announcement());
            }
        }
        return doc;
    }

    private static HistoryBucket.Entry entry(String cid, Document e) {
        long seq = e.getLong("seq");
        TimelineEntry entry = switch (e.getString("kind")) {
            case TimelineEntry.MESSAGE -> {
                Map<String, String> reactions = new LinkedHashMap<>();
                Document stored = e.get("reactions", Document.class);
                if (stored != null) {
                    stored.forEach((member, emoji) -> reactions.put(member, (String) emoji));
                }
                String type = e.getString("type");
                yield new Message(cid, seq, e.getString("messageId"), e.getString("clientMessageId"),
                        e.getString("senderId"), type == null ? null : MessageType.valueOf(type), e.getString("text"),
                        media(e.get("media", Document.class)), e.getLong("replyTo"), Dates.instant(e.getDate("sentAt")),
                        Dates.instant(e.getDate("editedAt")), e.getBoolean("deleted", false), reactions,
                        e.getList("mentions", String.class, List.of()), forwardedFrom(e.get("forwardedFrom", Document.class)));
            }
            case TimelineEntry.EDIT -> new Edit(cid, seq, e.getString("senderId"), e.getString("text"),
                    e.getLong("messageSeq"), Dates.instant(e.getDate("at")));
            case TimelineEntry.DELETE -> new Delete(cid, seq, e.getLong("messageSeq"), e.getString("actorId"),
                    Dates.instant(e.getDate("at")));
            case TimelineEntry.REACTION -> new Reaction(cid, seq, e.getLong("messageSeq"), e.getString("memberId"),
                    e.getString("emoji"), Dates.instant(e.getDate("at")));
            case TimelineEntry.MEMBERSHIP -> new Membership(cid, seq, e.getString("memberId"),
                    Membership.Action.valueOf(e.getString("action")), e.getString("actorId"), e.getString("title"),
                    Dates.instant(e.getDate("at")), e.getString("description"), media(e.get("avatar", Document.class)),
                    e.getBoolean("announcement"));
            default -> throw new IllegalStateException("unknown timeline kind " + e.getString("kind"));
        };
        Long ord = e.getLong("ord");
        Map<Long, Message> asOf = new TreeMap<>();
        for (Document frozen : e.getList("asOf", Document.class, List.of())) {
            asOf.put(frozen.getLong("upTo"), (Message) entry(cid, frozen).entry());
        }
        return new HistoryBucket.Entry(entry, ord == null ? 0 : ord, asOf,
                e.getList("hiddenFrom", String.class, List.of()));
    }

    private static ForwardedFrom forwardedFrom(Document source) {
        return source == null ? null : new ForwardedFrom(source.getString("conversationId"),
                ((Number) source.get("seq")).longValue());
    }

    static Document media(MediaRef media) {
        if (media == null) {
            return null;
        }
        return new Document("mediaId", media.mediaId()).append("kind", media.kind().name())
                .append("contentType", media.contentType()).append("size", media.size())
                .append("width", media.width()).append("height", media.height())
                .append("fileName", media.fileName()).append("hasThumbnail", media.hasThumbnail())
                .append("durationMillis", media.durationMillis());
    }

    static MediaRef media(Document m) {
        if (m == null) {
            return null;
        }
        return new MediaRef(m.getString("mediaId"), MediaKind.valueOf(m.getString("kind")), m.getString("contentType"),
                ((Number) m.get("size")).longValue(), m.getInteger("width"), m.getInteger("height"),
                m.getString("fileName"), m.getBoolean("hasThumbnail", false),
                m.get("durationMillis") == null ? null : ((Number) m.get("durationMillis")).longValue());
    }
}
