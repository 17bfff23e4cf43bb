package io.parley.projections.media;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.media.MediaEvents.MediaUploaded;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The media views, both read by {@code _id} only:
 * <ul>
 * <li>{@code media}: one document per media id with the upload's metadata and {@code sentIn}, a map
 * conversation id -> the highest seq at which the file was sent there;</li>
 * <li>{@code media-conversations}: one document per conversation id with {@code members}, a map account id ->
 * the seq from which the account is a member (0 for the founding members).</li>
 * </ul>
 * An account may fetch a file it did not upload when, for some conversation it was sent in, the account is a
 * member now and joined at or before that send: a user never sees media of a conversation they were not in when
 * it was sent, and a removed member loses access with the removal. Every update is an idempotent
 * {@code $set}/{@code $max}/{@code $unset}, so an event applied twice changes nothing.
 */
@Component
@ProcessingGroup(MediaProjection.PROCESSING_GROUP)
public class MediaProjection {

    public static final String PROCESSING_GROUP = "media-access";
    public static final String MEDIA = "media";
    public static final String CONVERSATIONS = "media-conversations";

    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

    private final MongoCollection<Document> media;
    private final MongoCollection<Document> conversations;

    public MediaProjection(MongoDatabase database) {
        this.media = database.getCollection(MEDIA);
        this.conversations = database.getCollection(CONVERSATIONS);
    }

    @EventHandler
    void on(MediaUploaded event) {
        media.updateOne(Filters.eq("_id", event.mediaId()), Updates.combine(
                metadata(event), Updates.set("uploadedAt", Date.from(event.uploadedAt()))), UPSERT);
    }

    /**
     * Written by the upload request itself right after its event is stored, so the uploader can send or fetch
     * the file at once instead of waiting for this processor to catch up. {@code uploadedAt} is only set if the
     * processor has not been here yet: the event's time, which the processor writes, is the one that stays.
     */
    public void recordUpload(MediaUploaded event) {
        media.updateOne(Filters.eq("_id", event.mediaId()), Updates.combine(
                metadata(event), Updates.setOnInsert("uploadedAt", Date.from(event.uploadedAt()))), UPSERT);
    }

    private static Bson metadata(MediaUploaded event) {
        List<Bson> sets = new ArrayList<>(List.of(
                Updates.set("uploaderId", event.uploaderId()),
                Updates.set("sha256", event.sha256()),
                Updates.set("size", event.size()),
                Updates.set("contentType", event.contentType()),
                Updates.set("kind", event.kind().name()),
                Updates.set("originalName", event.originalName()),
                Updates.set("hasThumbnail", event.hasThumbnail())));
        if (event.width() != null) {
            sets.add(Updates.set("width", event.width()));
            sets.add(Updates.set("height", event.height()));
        }
        return Updates.combine(sets);
    }

    @EventHandler
    void on(MessageSent event) {
        if (event.media() == null) {
            return;
        }
        media.updateOne(Filters.eq("_id", event.media().mediaId()),
                Updates.max("sentIn." + event.conversationId(), event.seq()), UPSERT);
    }

    @EventHandler
    void on(GroupCreated event) {
        founded(event.conversationId(), event.memberIds());
    }

    @EventHandler
    void on(DirectConversationStarted event) {
        founded(event.conversationId(), event.memberIds());
    }

    private void founded(String conversationId, List<String> memberIds) {
        List<Bson> sets = memberIds.stream().map(m -> Updates.set("members." + m, 0L)).toList();
        conversations.updateOne(Filters.eq("_id", conversationId), Updates.combine(sets), UPSERT);
    }

    @EventHandler
    void on(MemberAdded event) {
        conversations.updateOne(Filters.eq("_id", event.conversationId()),
                Updates.set("members." + event.memberId(), event.seq()), UPSERT);
    }

    @EventHandler
    void on(MemberRemoved event) {
        left(event.conversationId(), event.memberId());
    }

    @EventHandler
    void on(MemberLeft event) {
        left(event.conversationId(), event.memberId());
    }

    private void left(String conversationId, String memberId) {
        conversations.updateOne(Filters.eq("_id", conversationId), Updates.unset("members." + memberId));
    }

    @ResetHandler
    void reset() {
        media.deleteMany(new Document());
        conversations.deleteMany(new Document());
    }
}
