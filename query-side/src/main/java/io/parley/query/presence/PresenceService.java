package io.parley.query.presence;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.WriteModel;
import io.parley.api.account.LastSeenVisibility;
import io.parley.projections.conversation.ConversationViews;
import io.parley.projections.conversation.UserConversations;
import io.parley.projections.live.ConversationMembers;
import io.parley.projections.live.LiveFrames;
import io.parley.projections.live.LiveQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Online status and last seen (docs/design.md, section 5; issue 6). Online = at least one live session on this node
 * ({@link SessionRegistry}). Last seen lives in the MongoDB {@code presence} collection, {@code _id} = user id,
 * written on the last disconnect and at most once per {@code chat.presence.last-seen-interval} while online;
 * it is deliberately not event-sourced (connection churn would double the event store).
 * <p>
 * Who sees what, as in WhatsApp: presence at all (online status and last seen, live frames and
 * {@code GET /api/users/{id}/presence}) goes only to the user and their contacts, everyone sharing a current
 * conversation with them; anyone else is told nothing, not even that the account exists (issue 15). The
 * last-seen time follows the user's privacy setting: EVERYONE (the default) and CONTACTS both show it to every
 * contact (nobody else sees presence at all), NOBODY to no one; and only if the viewer's own setting would
 * show theirs in return, so hiding one's last seen also hides everyone else's. Two people of whom either blocked
 * the other are no contacts here: neither sees the other's presence (README, Blocking).
 */
@Service
public class PresenceService implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(PresenceService.class);

    /** {@code lastSeenAt} is written even when null: null is the answer "hidden or unknown", not a missing field. */
    public record PresenceFrame(String userId, boolean online,
                                @JsonInclude(JsonInclude.Include.ALWAYS) Instant lastSeenAt) {
    }

    private final SessionRegistry sessions;
    private final PresenceDirectory directory;
    private final PrivacySettings privacy;
    private final BlockRelations blocks;
    private final ConversationMembers members;
    private final ConversationViews conversations;
    private final LiveFrames sender;
    private final MongoCollection<LastSeen> presence;
    private final Clock clock;
    private final long intervalMillis;
    /** When each online user's last seen was last written (memory only: bounds writes, not correctness). */
    private final Map<String, Instant> written = new ConcurrentHashMap<>();
    /** One thread: a user's online and offline changes are handled in the order they happened. */
    private final ExecutorService changes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "presence-changes");
        t.setDaemon(true);
        return t;
    });
    /** Its own thread: the periodic bulk write never delays a change broadcast. */
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "presence-last-seen");
        t.setDaemon(true);
        return t;
    });

    PresenceService(SessionRegistry sessions, PrivacySettings privacy, BlockRelations blocks,
                    ConversationMembers members, ConversationViews conversations, LiveFrames sender,
                    MongoDatabase database, PresenceProperties properties, Clock clock) {
        this(sessions, new NodePresenceDirectory(sessions), privacy, blocks, members, conversations, sender, database,
                properties, clock);
    }

    /** {@code directories}: the shared directory of several nodes, if the application declares one. */
    @Autowired
    PresenceService(SessionRegistry sessions, ObjectProvider<PresenceDirectory> directories, PrivacySettings privacy,
                    BlockRelations blocks, ConversationMembers members, ConversationViews conversations,
                    LiveFrames sender, MongoDatabase database, PresenceProperties properties, Clock clock) {
        this(sessions, directories.getIfAvailable(() -> new NodePresenceDirectory(sessions)), privacy, blocks,
                members, conversations, sender, database, properties, clock);
    }

    private PresenceService(SessionRegistry sessions, PresenceDirectory directory, PrivacySettings privacy,
                            BlockRelations blocks, ConversationMembers members, ConversationViews conversations,
                            LiveFrames sender, MongoDatabase database, PresenceProperties properties, Clock clock) {
        this.sessions = sessions;
        this.directory = directory;
        this.privacy = privacy;
        this.blocks = blocks;
        this.members = members;
        this.conversations = conversations;
        this.sender = sender;
        this.presence = LastSeenCodec.collection(database);
        this.clock = clock;
        this.intervalMillis = properties.lastSeenInterval().toMillis();
        sessions.onChange((userId, online) -> changes.execute(() -> changed(userId, online)));
        directory.onChangeElsewhere(userId -> changes.execute(() -> changedElsewhere(userId)));
        refresher.scheduleAtFixedRate(this::refreshOnline, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** A sign of life from an online user (connect, {@code /app/presence.ping}): last seen, rate-limited. */
    public void touch(String userId) {
        Instant now = now();
        Instant last = written.get(userId);
        if (last == null || now.toEpochMilli() - last.toEpochMilli() >= intervalMillis) {
            write(userId, now);
        }
    }

    /**
     * What {@code viewerId} may know of {@code userId}: empty unless it is the viewer themself or a contact of
     * theirs, so a stranger cannot tell an unknown account from one that hides from them.
     */
    public Optional<PresenceFrame> presenceOf(String userId, String viewerId) {
        if (!userId.equals(viewerId) && (blocks.eitherBlocks(userId, viewerId) || !areContacts(userId, viewerId))) {
            return Optional.empty();
        }
        boolean online = directory.isOnline(userId);
        Instant lastSeen = mayShowLastSeen(userId, viewerId) ? lastSeenAt(userId) : null;
        return Optional.of(new PresenceFrame(userId, online, lastSeen));
    }

    /**
     * Whether the two are both current members of some conversation: two {@code _id} reads of the users'
     * conversation lists (the conversation read model, consistent with what each of them sees in the inbox).
     */
    boolean areContacts(String a, String b) {
        Set<String> ofA = currentConversations(a);
        if (ofA.isEmpty()) {
            return false;
        }
        for (String conversationId : currentConversations(b)) {
            if (ofA.contains(conversationId)) {
                return true;
            }
        }
        return false;
    }

    private Set<String> currentConversations(String userId) {
        Set<String> current = new HashSet<>();
        conversations.user(userId).map(UserConversations::conversations).orElse(Map.of())
                .forEach((conversationId, entry) -> {
                    if (!entry.removed()) {
                        current.add(conversationId);
                    }
                });
        return current;
    }

    /** The user's whole presence anywhere: whether they are online, for push and the presence API. */
    public boolean isOnlineAnywhere(String userId) {
        return directory.isOnline(userId);
    }

    private void changed(String userId, boolean online) {
        try {
            Instant now = now();
            if (online) {
                touch(userId);
            } else {
                write(userId, now);
                written.remove(userId);
            }
            directory.changedHere(userId, online);
            if (!online && directory.isOnline(userId)) {
                return; // still connected to another node: nothing changed for the contacts
            }
            broadcast(userId, online, now);
        } catch (RuntimeException e) {
            // presence is best effort: a failed broadcast must not stop the next change from being handled
            log.warn("Presence change of {} not broadcast: {}", userId, e.toString());
        }
    }

    /** Another node opened the user's first session there, closed their last one, or died with them connected. */
    private void changedElsewhere(String userId) {
        try {
            broadcast(userId, directory.isOnline(userId), now());
        } catch (RuntimeException e) {
            log.warn("Presence change of {} (another node) not broadcast: {}", userId, e.toString());
        }
    }

    /** Tells the contacts connected to this node. */
    private void broadcast(String userId, boolean online, Instant now) {
        for (String viewer : contacts(userId)) {
            if (!sender.isConnected(viewer) || blocks.eitherBlocks(userId, viewer)) {
                continue;
            }
            Instant lastSeen = !online && mayShowLastSeen(userId, viewer) ? now : null;
            sender.toUser(viewer, LiveQueue.PRESENCE, new PresenceFrame(userId, online, lastSeen));
        }
    }

    /**
     * For a viewer already known to be the subject or one of the subject's contacts (presence goes to no one
     * else): EVERYONE and CONTACTS both admit every contact, NOBODY none, on either side.
     */
    private boolean mayShowLastSeen(String subjectId, String viewerId) {
        if (subjectId.equals(viewerId)) {
            return true;
        }
        LastSeenVisibility subject = privacy.lastSeen(subjectId).orElse(LastSeenVisibility.EVERYONE);
        LastSeenVisibility viewer = privacy.lastSeen(viewerId).orElse(LastSeenVisibility.EVERYONE);
        return subject != LastSeenVisibility.NOBODY && viewer != LastSeenVisibility.NOBODY;
    }

    /** Everyone sharing a current conversation with the user: one {@code _id} read plus the membership view. */
    Set<String> contacts(String userId) {
        Set<String> contacts = new HashSet<>();
        Map<String, UserConversations.Entry> convs = conversations.user(userId)
                .map(UserConversations::conversations).orElse(Map.of());
        for (Map.Entry<String, UserConversations.Entry> conv : convs.entrySet()) {
            if (conv.getValue().removed()) {
                continue;
            }
            Set<String> memberIds = members.of(conv.getKey());
            if (memberIds.contains(userId)) {
                contacts.addAll(memberIds);
            }
        }
        contacts.remove(userId);
        return contacts;
    }

    private Instant lastSeenAt(String userId) {
        LastSeen lastSeen = presence.find(LastSeenCodec.byUser(userId)).first();
        return lastSeen == null ? null : lastSeen.at();
    }

    private void write(String userId, Instant at) {
        presence.replaceOne(LastSeenCodec.byUser(userId), new LastSeen(userId, at), new ReplaceOptions().upsert(true));
        written.put(userId, at);
    }

    /** Once per interval: every user online here gets a fresh last seen, in one bulk write. */
    private void refreshOnline() {
        try {
            Instant now = now();
            List<WriteModel<LastSeen>> writes = new ArrayList<>();
            for (String userId : new ArrayList<>(written.keySet())) {
                if (!sessions.isOnline(userId)) {
                    continue;
                }
                Instant last = written.get(userId);
                if (last == null || now.toEpochMilli() - last.toEpochMilli() >= intervalMillis) {
                    writes.add(new ReplaceOneModel<>(LastSeenCodec.byUser(userId), new LastSeen(userId, now),
                            new ReplaceOptions().upsert(true)));
                    written.put(userId, now);
                }
            }
            if (!writes.isEmpty()) {
                presence.bulkWrite(writes);
            }
        } catch (RuntimeException e) {
            log.warn("Last-seen refresh failed: {}", e.toString());
        }
    }

    /** Millisecond precision: what a frame says must equal what the store (BSON dates) answers later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public void destroy() {
        refresher.shutdown();
        changes.shutdown();
    }
}
