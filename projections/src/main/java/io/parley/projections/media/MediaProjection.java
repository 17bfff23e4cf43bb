package io.parley.projections.media;

import io.parley.api.account.AccountEvents.AccountDeleted;
import io.parley.api.conversation.ConversationEvents.GroupAvatarChanged;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaQueries.MediaByIdQuery;
import io.parley.api.media.MediaQueries.MediaView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Builds the media views (processing group {@value #PROCESSING_GROUP}), both read by {@code _id} only:
 * {@link MediaDocument}s (an upload's metadata and where it was sent) and {@link MediaConversation}s (who is a
 * member of a conversation since which seq).
 * <p>
 * An account may fetch a file it did not upload when, for some conversation it was sent in, the account is a
 * member now and joined at or before that send: a user never sees media of a conversation they were not in when
 * it was sent, and a removed member loses access with the removal. Every update is an idempotent
 * {@code $set}/{@code $max}/{@code $unset}, so an event applied twice changes nothing.
 */
@Component
@ProcessingGroup(MediaProjection.PROCESSING_GROUP)
public class MediaProjection {

    public static final String PROCESSING_GROUP = "media-access";

    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

    private final MediaCollections collections;
    private final QueryUpdateEmitter updates;

    public MediaProjection(MongoDatabase database, QueryUpdateEmitter updates) {
        this.collections = new MediaCollections(database);
        this.updates = updates;
    }

    /**
     * Records the upload, then tells read-your-writes waiters ({@link MediaByIdQuery} subscriptions: the upload
     * request of the uploader) that the view now holds the id. Inside the processor's unit of work the emitter
     * sends once it has committed, so a waiter never hears of a write that could still roll back.
     */
    @EventHandler
    void on(MediaUploaded event) {
        collections.media().updateOne(Filters.eq("_id", event.mediaId()), MediaCodec.uploaded(event), UPSERT);
        // the time as the view answers it: BSON dates hold milliseconds
        MediaView view = new MediaView(event.mediaId(), event.uploaderId(), event.sha256(), event.size(),
                event.contentType(), event.kind(), event.originalName(), event.width(), event.height(),
                event.hasThumbnail(), event.durationMillis(), event.uploadedAt().truncatedTo(ChronoUnit.MILLIS));
        updates.emit(MediaByIdQuery.class, query -> event.mediaId().equals(query.mediaId()), view);
    }

    /** Account deletion: the names of the account's files become {@code [erased]} (their bytes are deleted too). */
    @EventHandler
    void on(AccountDeleted event) {
        collections.media().updateMany(Filters.and(Filters.eq("uploaderId", event.accountId()),
                Filters.ne("originalName", null)), MediaCodec.nameErased());
    }

    @EventHandler
    void on(MessageSent event) {
        // a withheld message grants its file to no one: its sender, the uploader, has it already (README, Blocking)
        if (event.media() == null || !event.withheldFrom().isEmpty()) {
            return;
        }
        collections.media().updateOne(Filters.eq("_id", event.media().mediaId()),
                MediaCodec.sent(event.conversationId(), event.seq()), UPSERT);
    }

    /**
     * A group's avatar is for every current member, whenever they joined: recorded as sent at the highest seq, so
     * the access rule (joined at or before the send) lets each of them in, and a removal still ends it.
     */
    @EventHandler
    void on(GroupAvatarChanged event) {
        collections.media().updateOne(Filters.eq("_id", event.avatar().mediaId()),
                MediaCodec.sent(event.conversationId(), Long.MAX_VALUE), UPSERT);
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
        collections.conversations().updateOne(Filters.eq("_id", conversationId),
                MediaConversationCodec.founded(memberIds), UPSERT);
    }

    @EventHandler
    void on(MemberAdded event) {
        collections.conversations().updateOne(Filters.eq("_id", event.conversationId()),
                MediaConversationCodec.joined(event.memberId(), event.seq()), UPSERT);
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
        collections.conversations().updateOne(Filters.eq("_id", conversationId), MediaConversationCodec.left(memberId));
    }

    @ResetHandler
    void reset() {
        collections.media().deleteMany(new Document());
        collections.conversations().deleteMany(new Document());
    }
}
