package io.parley.projections.push;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.parley.api.account.DevicePlatform;
import org.bson.Document;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the push processor knows, built from the events it sees (so it replays alone, and never waits on another
 * projection): per conversation its kind, title, members and who muted it until when ({@code push-conversations});
 * per user the display name and device tokens ({@code push-users}). Read by {@code _id} and {@code $in} only;
 * every write is an idempotent {@code $set}/{@code $unset}/{@code $addToSet}/{@code $pull}.
 * <p>
 * The stored shape of both collections is the two document records below, read through the driver's record codec;
 * this file is the only one that names their fields.
 */
@Component
class PushDirectory {

    static final String CONVERSATIONS = "push-conversations";
    static final String USERS = "push-users";
    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

    private final MongoCollection<ConversationDocument> conversations;
    private final MongoCollection<UserDocument> users;

    PushDirectory(MongoDatabase database) {
        // the driver's default registry: records, enums by name, java.time
        MongoDatabase typed = database.withCodecRegistry(MongoClientSettings.getDefaultCodecRegistry());
        this.conversations = typed.getCollection(CONVERSATIONS, ConversationDocument.class);
        this.users = typed.getCollection(USERS, UserDocument.class);
    }

    /**
     * One {@code push-conversations} document. Every field but {@code _id} may be missing (an upsert by a rename or
     * a mute can come before the start), hence the boxed {@code group}. {@code muted} maps a member to the end of
     * their mute, or to null for a mute without end: the key's presence is the mute.
     * Public only because the codec builds it by reflection.
     */
    public record ConversationDocument(@BsonId String id, Boolean group, String title, List<String> members,
                                       Map<String, Instant> muted) {
    }

    /**
     * One {@code push-users} document: {@code devices} maps a device id to its platform and token, in stored order.
     * Public only because the codec builds it by reflection.
     */
    public record UserDocument(@BsonId String id, String displayName, LinkedHashMap<String, DeviceDocument> devices) {
    }

    /** A value of {@link UserDocument#devices()}. */
    public record DeviceDocument(DevicePlatform platform, String token) {
    }

    record Conversation(String id, boolean group, String title, List<String> members, Map<String, Instant> mutedUntil,
                        Set<String> mutedForever) {

        boolean mutedBy(String memberId, Instant now) {
            if (mutedForever.contains(memberId)) {
                return true;
            }
            Instant until = mutedUntil.get(memberId);
            return until != null && until.isAfter(now);
        }
    }

    record Device(String id, DevicePlatform platform, String token) {
    }

    record User(String id, String displayName, List<Device> devices) {
    }

    void conversationStarted(String id, boolean group, String title, Collection<String> members) {
        List<Bson> updates = new ArrayList<>();
        updates.add(Updates.set("group", group));
        if (title != null) {
            updates.add(Updates.set("title", title));
        }
        updates.add(Updates.addEachToSet("members", new ArrayList<>(members)));
        conversations.updateOne(Filters.eq("_id", id), Updates.combine(updates), UPSERT);
    }

    void renamed(String id, String title) {
        conversations.updateOne(Filters.eq("_id", id), Updates.set("title", title), UPSERT);
    }

    void memberJoined(String id, String memberId) {
        conversations.updateOne(Filters.eq("_id", id), Updates.addToSet("members", memberId), UPSERT);
    }

    /** A member who left or was removed stops getting pushes, and their mute goes with them. */
    void memberGone(String id, String memberId) {
        conversations.updateOne(Filters.eq("_id", id),
                Updates.combine(Updates.pull("members", memberId), Updates.unset("muted." + memberId)));
    }

    /** {@code until} null mutes for good (stored as null: the key's presence is the mute). */
    void muted(String id, String memberId, Instant until) {
        conversations.updateOne(Filters.eq("_id", id),
                Updates.set("muted." + memberId, until == null ? null : Date.from(until)), UPSERT);
    }

    void unmuted(String id, String memberId) {
        conversations.updateOne(Filters.eq("_id", id), Updates.unset("muted." + memberId));
    }

    void accountRegistered(String userId, String displayName) {
        users.updateOne(Filters.eq("_id", userId), Updates.set("displayName", displayName), UPSERT);
    }

    /** The sender's name in notification titles from now on. */
    void displayNameChanged(String userId, String displayName) {
        users.updateOne(Filters.eq("_id", userId), Updates.set("displayName", displayName), UPSERT);
    }

    void deviceRegistered(String userId, String deviceId, DevicePlatform platform, String token) {
        users.updateOne(Filters.eq("_id", userId), Updates.set("devices." + deviceId,
                new Document("platform", platform.name()).append("token", token)), UPSERT);
    }

    /** Account deletion: its display name and push tokens go; nobody pushes to a deleted account. */
    void accountDeleted(String userId) {
        users.deleteOne(Filters.eq("_id", userId));
    }

    void deviceRemoved(String userId, String deviceId) {
        users.updateOne(Filters.eq("_id", userId), Updates.unset("devices." + deviceId));
    }

    Optional<Conversation> conversation(String id) {
        return Optional.ofNullable(conversations.find(Filters.eq("_id", id)).first()).map(PushDirectory::toConversation);
    }

    /** Users by id, one {@code $in}; unknown ids are absent from the answer. */
    Map<String, User> users(Collection<String> ids) {
        Map<String, User> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        users.find(Filters.in("_id", new ArrayList<>(ids))).forEach(doc -> {
            User user = toUser(doc);
            found.put(user.id(), user);
        });
        return found;
    }

    Optional<User> user(String id) {
        return Optional.ofNullable(users.find(Filters.eq("_id", id)).first()).map(PushDirectory::toUser);
    }

    void reset() {
        conversations.deleteMany(new Document());
        users.deleteMany(new Document());
    }

    private static Conversation toConversation(ConversationDocument doc) {
        Map<String, Instant> until = new HashMap<>();
        Set<String> forever = new HashSet<>();
        if (doc.muted() != null) {
            doc.muted().forEach((member, end) -> {
                if (end != null) {
                    until.put(member, end);
                } else {
                    forever.add(member);
                }
            });
        }
        return new Conversation(doc.id(), Boolean.TRUE.equals(doc.group()), doc.title(),
                doc.members() == null ? List.of() : doc.members(), until, forever);
    }

    private static User toUser(UserDocument doc) {
        List<Device> devices = new ArrayList<>();
        if (doc.devices() != null) {
            doc.devices().forEach((deviceId, device) -> {
                if (device != null) {
                    devices.add(new Device(deviceId, device.platform(), device.token()));
                }
            });
        }
        return new User(doc.id(), doc.displayName(), devices);
    }
}
