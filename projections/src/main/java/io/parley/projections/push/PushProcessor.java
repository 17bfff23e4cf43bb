package io.parley.projections.push;

import io.parley.api.account.AccountEvents.AccountDeleted;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.DeviceRegistered;
import io.parley.api.account.AccountEvents.DeviceRemoved;
import io.parley.api.account.AccountEvents.DisplayNameChanged;
import io.parley.api.conversation.ConversationEvents.ConversationMuted;
import io.parley.api.conversation.ConversationEvents.ConversationUnmuted;
import io.parley.api.conversation.ConversationEvents.DirectConversationStarted;
import io.parley.api.conversation.ConversationEvents.GroupCreated;
import io.parley.api.conversation.ConversationEvents.GroupRenamed;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberLeft;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.stereotype.Component;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@value #PROCESSING_GROUP} tracking processor: follows members, mutes, display names and devices, and turns
 * each {@link MessageSent} into pushes for the members who are not connected and have not muted the conversation,
 * or whom the message mentions. Its token (in MongoDB, like every
 * processor's) moves past a message only once its pushes are handled: accepted, pruned, recorded for retry, or
 * recorded as in flight when FCM is slower than {@code chat.push.send-timeout}. A failure to record goes to the
 * dead-letter queue for that conversation.
 * <p>
 * Registered only when push is on ({@code chat.push.credentials-path} set): while off there is no bean, hence no
 * event processor paying a unit of work, a token write and a dead-letter check per event for nothing. Its token
 * stays where it was, so once credentials are configured the processor catches up from there, keeping
 * {@link PushDirectory} right and skipping messages older than {@code chat.push.max-message-age}. Without a token
 * (push never on before) it starts as Axon's default does, replaying the stream up to the head it found: the
 * directory is rebuilt and nothing from before is pushed ({@link DisallowReplay}).
 */
@Component
@Conditional(PushProcessor.PushOn.class)
@ProcessingGroup(PushProcessor.PROCESSING_GROUP)
public class PushProcessor {

    /** public for the gateway's tests, which rewind this processor's token */
    public static final String PROCESSING_GROUP = "push";
    private static final Logger log = LoggerFactory.getLogger(PushProcessor.class);

    private final PushDirectory directory;
    private final PushOutbox outbox;
    private final FcmClient fcm;
    private final Presence presence;
    private final PushProperties properties;
    private final Clock clock;

    PushProcessor(PushDirectory directory, PushOutbox outbox, FcmClient fcm, Presence presence,
                  PushProperties properties, Clock clock) {
        this.directory = directory;
        this.outbox = outbox;
        this.fcm = fcm;
        this.presence = presence;
        this.properties = properties;
        this.clock = clock;
    }

    @EventHandler
    void on(AccountRegistered event) {
        directory.accountRegistered(event.accountId(), event.displayName());
    }

    @EventHandler
    void on(DisplayNameChanged event) {
        directory.displayNameChanged(event.accountId(), event.displayName());
    }

    @EventHandler
    void on(AccountDeleted event) {
        directory.accountDeleted(event.accountId());
    }

    @EventHandler
    void on(DeviceRegistered event) {
        directory.deviceRegistered(event.accountId(), event.deviceId(), event.platform(), event.token());
    }

    @EventHandler
    void on(DeviceRemoved event) {
        directory.deviceRemoved(event.accountId(), event.deviceId());
    }

    @EventHandler
    void on(DirectConversationStarted event) {
        directory.conversationStarted(event.conversationId(), false, null, event.memberIds());
    }

    @EventHandler
    void on(GroupCreated event) {
        Set<String> members = new LinkedHashSet<>(event.memberIds());
        members.add(event.creatorId());
        directory.conversationStarted(event.conversationId(), true, event.title(), members);
    }

    @EventHandler
    void on(GroupRenamed event) {
        directory.renamed(event.conversationId(), event.title());
    }

    @EventHandler
    void on(MemberAdded event) {
        directory.memberJoined(event.conversationId(), event.memberId());
    }

    @EventHandler
    void on(MemberRemoved event) {
        directory.memberGone(event.conversationId(), event.memberId());
    }

    @EventHandler
    void on(MemberLeft event) {
        directory.memberGone(event.conversationId(), event.memberId());
    }

    @EventHandler
    void on(ConversationMuted event) {
        directory.muted(event.conversationId(), event.memberId(), event.until());
    }

    @EventHandler
    void on(ConversationUnmuted event) {
        directory.unmuted(event.conversationId(), event.memberId());
    }

    /** A replay rebuilds the state above and pushes nothing: those messages were pushed (or not) long ago. */
    @EventHandler
    @DisallowReplay
    void on(MessageSent event) throws InterruptedException {
        if (!fcm.enabled()) {
            return;
        }
        Instant now = clock.instant();
        if (event.sentAt() != null && event.sentAt().plus(properties.maxMessageAge()).isBefore(now)) {
            return; // catching up after downtime: a notification this late only confuses
        }
        PushDirectory.Conversation conversation = directory.conversation(event.conversationId()).orElse(null);
        if (conversation == null) {
            log.warn("No members known for conversation {}: message {} is not pushed", event.conversationId(),
                    event.seq());
            return;
        }
        List<String> recipients = conversation.members().stream()
                .filter(member -> !member.equals(event.senderId()))
                // withheld from whoever blocked the sender: not even a notification (README, Blocking)
                .filter(member -> !event.withheldFrom(member))
                // a mention reaches a member who muted the conversation, as WhatsApp's do (README, Push)
                .filter(member -> event.mentions(member) || !conversation.mutedBy(member, now))
                .filter(member -> !presence.isOnline(member))
                .toList();
        if (recipients.isEmpty()) {
            return;
        }
        Set<String> wanted = new LinkedHashSet<>(recipients);
        wanted.add(event.senderId());
        Map<String, PushDirectory.User> users = directory.users(wanted);
        List<PushOutbox.Target> targets = new ArrayList<>();
        for (String recipient : recipients) {
            PushDirectory.User user = users.get(recipient);
            if (user != null) {
                user.devices().forEach(d -> targets.add(new PushOutbox.Target(recipient, d.id(), d.token())));
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        PushDirectory.User sender = users.get(event.senderId());
        Notice notice = new Notice(event.conversationId(), event.seq(), event.messageId(),
                Notice.title(sender == null ? null : sender.displayName(), conversation.group(), conversation.title()),
                Notice.preview(event.type(), event.text(), properties.previewLength()), 1);
        try {
            outbox.offer(notice, targets).get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            // recorded as in flight before sending: the answer is settled in the background, never sent twice
            log.debug("FCM is slow; moving past message {} of {}", event.seq(), event.conversationId());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    @ResetHandler
    void reset() {
        directory.reset();
        outbox.reset().join();
    }

    /** Push is on when a key file is configured, bound as {@link PushProperties#credentialsPath()} binds it. */
    static final class PushOn implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment()).bind("chat.push.credentials-path", Path.class).isBound();
        }
    }
}
