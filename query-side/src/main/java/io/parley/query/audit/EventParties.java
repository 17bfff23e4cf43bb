package io.parley.query.audit;

import io.parley.api.account.AccountEvents;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.AccountReinstated;
import io.parley.api.account.AccountEvents.AccountSuspended;
import io.parley.api.account.AccountEvents.SignedOut;
import io.parley.api.account.AccountEvents.DeviceRegistered;
import io.parley.api.account.AccountEvents.DeviceRemoved;
import io.parley.api.account.AccountEvents.PrivacyChanged;
import io.parley.api.account.AccountEvents.RolesChanged;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import io.parley.api.audit.AuditEvents.AuditQueried;
import io.parley.api.report.ReportEvents.ReportFiled;
import io.parley.api.report.ReportEvents.ReportResolved;
import io.parley.api.conversation.ConversationEvents.AdminGranted;
import io.parley.api.conversation.ConversationEvents.ConversationMuted;
import io.parley.api.conversation.ConversationEvents.ConversationUnmuted;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.GroupRenamed;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents;
import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.ConversationEvents.MessagesDelivered;
import io.parley.api.conversation.ConversationEvents.MessagesRead;
import io.parley.api.conversation.ConversationEvents.ReactionChanged;
import io.parley.api.media.MediaEvents.MediaUploaded;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Who did and who underwent each event, in one typed place. Events carry no user id in their metadata (commands
 * are dispatched without one), so the actor comes from the payload: the sender, the editor, the admin who added
 * or removed, the reader whose watermark moved, the account owner. Subjects are the other users an event is
 * about (the member added or removed, the user blocked, every founding member). {@code userId} filters of the
 * audit API match either.
 * <p>
 * Every event type the platform stores is listed here; {@code EventPartiesTest} fails when a new one is not.
 */
public final class EventParties {

    /** @param actorId null when no user acted (a promotion on the last admin leaving, an unknown type) */
    public record Parties(String actorId, Set<String> subjects) {
        static final Parties NONE = new Parties(null, Set.of());

        public boolean involve(String userId) {
            return userId.equals(actorId) || subjects.contains(userId);
        }
    }

    private static final Map<Class<?>, Function<Object, Parties>> BY_TYPE = new LinkedHashMap<>();
    private static final Map<String, Class<?>> BY_NAME = new LinkedHashMap<>();

    static {
        on(AccountRegistered.class, e -> parties(e.accountId(), e.accountId()));
        on(RolesChanged.class, e -> parties(e.changedBy(), e.accountId()));
        on(SignedOut.class, e -> parties(e.accountId(), e.accountId()));
        on(PrivacyChanged.class, e -> parties(e.accountId(), e.accountId()));
        on(AccountEvents.PasswordChanged.class, e -> parties(e.accountId(), e.accountId()));
        on(AccountEvents.DisplayNameChanged.class, e -> parties(e.accountId(), e.accountId()));
        on(AccountEvents.AccountDeleted.class, e -> parties(e.accountId(), e.accountId()));
        on(DeviceRegistered.class, e -> parties(e.accountId(), e.accountId()));
        on(DeviceRemoved.class, e -> parties(e.accountId(), e.accountId()));
        on(UserBlocked.class, e -> parties(e.accountId(), e.blockedId()));
        on(UserUnblocked.class, e -> parties(e.accountId(), e.blockedId()));
        on(DirectConversationStarted.class, e -> parties(e.startedBy(), e.memberIds()));
        on(GroupCreated.class, e -> parties(e.creatorId(), e.memberIds()));
        on(GroupRenamed.class, e -> parties(e.renamedBy()));
        on(MemberAdded.class, e -> parties(e.addedBy(), e.memberId()));
        on(MemberRemoved.class, e -> parties(e.removedBy(), e.memberId()));
        on(MemberLeft.class, e -> parties(e.memberId(), e.memberId()));
        on(AdminGranted.class, e -> parties(e.grantedBy(), e.memberId()));
        on(MessageSent.class, e -> parties(e.senderId()));
        on(MessageEdited.class, e -> parties(e.editorId()));
        on(MessageDeleted.class, e -> parties(e.deletedBy()));
        on(ReactionChanged.class, e -> parties(e.memberId()));
        on(MessagesDelivered.class, e -> parties(e.memberId(), e.memberId()));
        on(MessagesRead.class, e -> parties(e.memberId(), e.memberId()));
        on(ConversationMuted.class, e -> parties(e.memberId(), e.memberId()));
        on(ConversationUnmuted.class, e -> parties(e.memberId(), e.memberId()));
        on(ConversationEvents.MessageStarred.class, e -> parties(e.memberId(), e.memberId()));
        on(ConversationEvents.MessageUnstarred.class, e -> parties(e.memberId(), e.memberId()));
        on(ConversationEvents.MessageDeletedForMe.class, e -> parties(e.memberId(), e.memberId()));
        on(ConversationEvents.AdminRevoked.class, e -> parties(e.revokedBy(), e.memberId()));
        on(ConversationEvents.GroupDescriptionChanged.class, e -> parties(e.changedBy()));
        on(ConversationEvents.GroupAvatarChanged.class, e -> parties(e.changedBy()));
        on(ConversationEvents.AnnouncementModeChanged.class, e -> parties(e.changedBy()));
        on(ConversationEvents.InviteCreated.class, e -> parties(e.createdBy()));
        on(ConversationEvents.InviteRevoked.class, e -> parties(e.revokedBy()));
        on(ConversationEvents.InviteUsed.class, e -> parties(e.memberId(), e.memberId()));
        on(MediaUploaded.class, e -> parties(e.uploaderId(), e.uploaderId()));
        on(AuditQueried.class, e -> parties(e.auditorId(), e.auditorId()));
        on(AccountSuspended.class, e -> parties(e.suspendedBy(), e.accountId()));
        on(AccountReinstated.class, e -> parties(e.reinstatedBy(), e.accountId()));
        on(ReportFiled.class, e -> parties(e.reporterId(), e.userId()));
        on(ReportResolved.class, e -> parties(e.resolvedBy()));
    }

    private EventParties() {
    }

    private static <T> void on(Class<T> type, Function<T, Parties> parties) {
        BY_TYPE.put(type, payload -> parties.apply(type.cast(payload)));
        BY_NAME.put(type.getSimpleName(), type);
    }

    private static Parties parties(String actor, String... subjects) {
        return parties(actor, Arrays.asList(subjects));
    }

    private static Parties parties(String actor, Collection<String> subjects) {
        Set<String> all = new LinkedHashSet<>(subjects == null ? List.of() : subjects);
        all.remove(null);
        return new Parties(actor, Collections.unmodifiableSet(all));
    }

    /** The parties of a deserialized payload; {@link Parties#NONE} for null or a type not listed. */
    public static Parties of(Object payload) {
        if (payload == null) {
            return Parties.NONE;
        }
        Function<Object, Parties> parties = BY_TYPE.get(payload.getClass());
        return parties == null ? Parties.NONE : parties.apply(payload);
    }

    /** Event names (as the {@code types} filter takes them) to their classes, in a stable order. */
    public static Map<String, Class<?>> byName() {
        return Collections.unmodifiableMap(BY_NAME);
    }
}
