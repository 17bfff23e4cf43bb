package io.parley.projections.conversation;

import io.parley.api.conversation.ConversationQueries.MessagePreview;
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.MemberRole;
import io.parley.api.conversation.MessageType;
import io.parley.projections.conversation.ConversationSummary.Former;
import io.parley.projections.conversation.ConversationSummary.Member;
import io.parley.projections.conversation.ConversationSummary.Step;
import org.bson.BsonReader;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored shape of {@link ConversationSummary} (the only code naming its fields), and of the message
 * preview it shares with the user documents: {@code _id}, {@code type}, {@code title}, {@code createdBy},
 * {@code createdAt}, {@code lastSeq}, {@code lastMsgSeq}, {@code msgCount}, {@code lastMessage},
 * {@code lastActivityAt}, {@code members.<userId>} (role, joinedSeq, joinedAt, delivered, deliveredAt, read,
 * readAt, readOrd, and the steps {@code dh} / {@code rh} as {@code [seq, date]} pairs) and
 * {@code former.<userId>} (leftSeq, at, joinedSeq), {@code deletedOrds} (absent in summaries written before
 * it existed: none) and {@code info} (description, avatar, announcement; absent while none is set).
 */
final class ConversationSummaryCodec implements Codec<ConversationSummary> {
    private final DocumentCodec documents = new DocumentCodec();

    @Override
    public Class<ConversationSummary> getEncoderClass() {
        return ConversationSummary.class;
    }

    @Override
    public void encode(BsonWriter writer, ConversationSummary s, EncoderContext context) {
        Document members = new Document();
        s.members().forEach((userId, m) -> members.put(userId, new Document("role", m.role().name())
                .append("joinedSeq", m.joinedSeq()).append("joinedAt", Dates.date(m.joinedAt()))
                .append("delivered", m.delivered()).append("deliveredAt", Dates.date(m.deliveredAt()))
                .append("read", m.read()).append("readAt", Dates.date(m.readAt())).append("readOrd", m.readOrd())
                .append("dh", storedSteps(m.deliveredSteps())).append("rh", storedSteps(m.readSteps()))));
        Document former = new Document();
        s.former().forEach((userId, f) -> former.put(userId,
                new Document("leftSeq", f.leftSeq()).append("at", Dates.date(f.at()))
                        .append("joinedSeq", f.joinedSeq())));
        Document doc = new Document("_id", s.id()).append("type", s.type().name()).append("title", s.title())
                .append("createdBy", s.createdBy()).append("createdAt", Dates.date(s.createdAt()))
                .append("lastSeq", s.lastSeq()).append("lastMsgSeq", s.lastMsgSeq()).append("msgCount", s.msgCount())
                .append("lastMessage", preview(s.lastMessage())).append("lastActivityAt", Dates.date(s.lastActivityAt()))
                .append("members", members).append("former", former)
                .append("deletedOrds", s.deletedOrds());
        if (!s.info().equals(ConversationSummary.GroupInfo.NONE)) {
            doc.append("info", new Document("description", s.info().description())
                    .append("avatar", HistoryBucketCodec.media(s.info().avatar()))
                    .append("announcement", s.info().announcement()));
        }
        documents.encode(writer, doc, context);
    }

    @Override
    public ConversationSummary decode(BsonReader reader, DecoderContext context) {
        Document doc = documents.decode(reader, context);
        Map<String, Member> members = new LinkedHashMap<>();
        Document storedMembers = doc.get("members", Document.class);
        if (storedMembers != null) {
            storedMembers.forEach((userId, value) -> {
                Document m = (Document) value;
                members.put(userId, new Member(MemberRole.valueOf(m.getString("role")), number(m, "joinedSeq"),
                        Dates.instant(m.getDate("joinedAt")), number(m, "delivered"),
                        Dates.instant(m.getDate("deliveredAt")), number(m, "read"), Dates.instant(m.getDate("readAt")),
                        number(m, "readOrd"), steps(m.getList("dh", Object.class)), steps(m.getList("rh", Object.class))));
            });
        }
        Map<String, Former> former = new LinkedHashMap<>();
        Document storedFormer = doc.get("former", Document.class);
        if (storedFormer != null) {
            storedFormer.forEach((userId, value) -> {
                Document f = (Document) value;
                former.put(userId, new Former(number(f, "leftSeq"), Dates.instant(f.getDate("at")),
                        number(f, "joinedSeq")));
            });
        }
        return new ConversationSummary(doc.getString("_id"), ConversationType.valueOf(doc.getString("type")),
                doc.getString("title"), doc.getString("createdBy"), Dates.instant(doc.getDate("createdAt")),
                number(doc, "lastSeq"), number(doc, "lastMsgSeq"), number(doc, "msgCount"),
                preview(doc.get("lastMessage", Document.class)), Dates.instant(doc.getDate("lastActivityAt")),
                members, former, doc.getList("deletedOrds", Number.class, List.of()).stream()
                .map(Number::longValue).toList(), info(doc.get("info", Document.class)));
    }

    private static ConversationSummary.GroupInfo info(Document info) {
        return info == null ? ConversationSummary.GroupInfo.NONE : new ConversationSummary.GroupInfo(
                info.getString("description"), HistoryBucketCodec.media(info.get("avatar", Document.class)),
                info.getBoolean("announcement", false));
    }

    static Document preview(MessagePreview preview) {
        if (preview == null) {
            return null;
        }
        return new Document("seq", preview.seq()).append("senderId", preview.senderId())
                .append("type", preview.type() == null ? null : preview.type().name()).append("text", preview.text())
                .append("sentAt", Dates.date(preview.sentAt())).append("deleted", preview.deleted());
    }

    static MessagePreview preview(Document preview) {
        if (preview == null) {
            return null;
        }
        String type = preview.getString("type");
        return new MessagePreview(number(preview, "seq"), preview.getString("senderId"),
                type == null ? null : MessageType.valueOf(type), preview.getString("text"),
                Dates.instant(preview.getDate("sentAt")), preview.getBoolean("deleted", false));
    }

    private static List<Object> storedSteps(List<Step> steps) {
        List<Object> stored = new ArrayList<>();
        steps.forEach(step -> stored.add(Arrays.asList(step.seq(), Dates.date(step.at()))));
        return stored;
    }

    private static List<Step> steps(List<Object> stored) {
        List<Step> steps = new ArrayList<>();
        if (stored != null) {
            for (Object value : stored) {
                List<?> pair = (List<?>) value;
                steps.add(new Step(((Number) pair.get(0)).longValue(), Dates.instant((Date) pair.get(1))));
            }
        }
        return steps;
    }

    static long number(Document doc, String field) {
        Object value = doc.get(field);
        return value == null ? 0 : ((Number) value).longValue();
    }
}
