package io.parley.gateway.web.conversation;

import io.parley.api.account.AccountIds;
import io.parley.api.conversation.Mentions;
import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationIds;
import io.parley.api.conversation.ConversationQueries.*;
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.ForwardedFrom;
import io.parley.api.conversation.TimelineEntry;
import io.parley.api.conversation.MemberRole;
import io.parley.api.media.MediaRef;
import io.parley.api.receipt.ReceiptQueries.MessageReceipts;
import io.parley.api.receipt.ReceiptQueries.MessageReceiptsQuery;
import io.parley.gateway.web.limits.RateLimits;
import io.parley.gateway.web.Problems;
import io.parley.projections.live.ConversationMembers;
import io.parley.query.conversation.ConversationViewAwaiter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Conversations, members, messages, receipts, mute and sync (docs/design.md, section 5, Core shapes). The caller is
 * the JWT's subject; every answer is restricted by membership, and a non-member gets 404 (never 403). Every
 * account id a client names (peer, members, admins, the member to remove) must be a lower-case UUID (400
 * {@code invalid-account-id}, checked here before any command); that it belongs to a registered account is the
 * aggregate's rule (404 {@code account-not-found}, issue 15).
 */
@RestController
@RequestMapping("/api")
@Tag(name = "conversations")
class ConversationController {
    /** How long a sender's POST waits for its own message to reach the views (read-your-writes). */
    private static final Duration READ_YOUR_WRITES = Duration.ofSeconds(2);
    /** Conversations one forward may copy into (WhatsApp allows five chats at once; groups of bots want more). */
    static final int MAX_FORWARD_TARGETS = 20;

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ConversationViewAwaiter views;
    private final ConversationMembers live;
    private final RateLimits limits;

    ConversationController(CommandGateway commands, QueryGateway queries, ConversationViewAwaiter views,
                           ConversationMembers live, RateLimits limits) {
        this.limits = limits;
        this.commands = commands;
        this.queries = queries;
        this.views = views;
        this.live = live;
    }

    /**
     * Sync must not miss what was stored and already pushed live while the client was away: before answering
     * from the views, wait (bounded) until they hold every seq the live-delivery stream has seen stored.
     */
    private void awaitViews(Iterable<String> conversationIds) {
        for (String cid : conversationIds) {
            long head = live.routedSeq(cid);
            if (head > 0) {
                views.await(cid, head, READ_YOUR_WRITES);
            }
        }
    }

    record NewConversation(@NotNull ConversationType type, String peerId, @Size(max = 256) String title,
                           // a null member id is refused by AccountIds.requireAll: 400 invalid-account-id
                           @Size(max = 100) List<String> memberIds) {
    }

    record ConversationCreated(String id, ConversationType type, String title, List<MemberView> members) {
    }

    record NewMember(@NotBlank String userId) {
    }

    /** {@code mentions}: member ids, or {@code "@all"} in a group (README, API). */
    record NewMessage(@NotBlank @Size(max = 128) String clientMessageId, String text, Long replyTo, String mediaId,
                      List<String> mentions) {
    }

    record TextChange(String text) {
    }

    /**
     * {@code to}: the conversations to copy the message into (each once, the caller a member of every one);
     * {@code clientMessageId}: the copies' id, so a retried forward stores nothing twice (a fresh one when absent).
     */
    record Forward(@NotNull @Size(min = 1, max = MAX_FORWARD_TARGETS) List<String> to,
                   @Size(max = 128) String clientMessageId) {
    }

    /** One {@link SendResult} per target, in the order asked. */
    record Forwarded(List<SendResult> copies) {
    }

    record Reaction(String emoji) {
    }

    /** An IMAGE the caller uploaded. */
    record Avatar(@NotBlank String mediaId) {
    }

    /** true: only admins send. */
    record Announcement(@NotNull Boolean enabled) {
    }

    /** A Long, not a long: a missing or null upToSeq is the client's error, not seq 0 (issue 15). */
    record Watermark(@NotNull @PositiveOrZero Long upToSeq) {
    }

    record Mute(Instant until) {
    }

    record SyncRequest(Map<String, Long> since, @Min(1) @Max(SyncQuery.MAX_LIMIT) Integer limit) {
    }

    @GetMapping("/conversations")
    List<InboxEntry> inbox(Principal me) {
        return queries.query(new InboxQuery(me.getName()), Inbox.class).join().conversations();
    }

    @PostMapping("/conversations")
    ResponseEntity<ConversationCreated> create(@Valid @RequestBody NewConversation request, Principal me) {
        String caller = me.getName();
        if (request.type() == ConversationType.DIRECT) {
            if (request.peerId() == null || request.peerId().isBlank()) {
                throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-request", "peerId is required for a direct chat");
            }
            AccountIds.require(request.peerId(), "peerId");
            String id = ConversationIds.direct(caller, request.peerId());
            ConversationOpened opened = commands.sendAndWait(new StartDirectConversation(id, caller, request.peerId()));
            ConversationCreated body = new ConversationCreated(id, ConversationType.DIRECT, null,
                    List.of(new MemberView(caller, MemberRole.MEMBER), new MemberView(request.peerId(), MemberRole.MEMBER)));
            return opened.created() ? ResponseEntity.created(URI.create("/api/conversations/" + id)).body(body)
                    : ResponseEntity.ok(body);
        }
        String id = UUID.randomUUID().toString();
        List<String> others = request.memberIds() == null ? List.of() : request.memberIds();
        AccountIds.requireAll(others, "memberIds");
        commands.sendAndWait(new CreateGroup(id, caller, request.title(), others));
        List<MemberView> members = new ArrayList<>();
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        ids.add(caller);
        others.stream().filter(java.util.Objects::nonNull).forEach(ids::add);
        ids.forEach(m -> members.add(new MemberView(m, m.equals(caller) ? MemberRole.ADMIN : MemberRole.MEMBER)));
        return ResponseEntity.created(URI.create("/api/conversations/" + id))
                .body(new ConversationCreated(id, ConversationType.GROUP, request.title().strip(), members));
    }

    @GetMapping("/conversations/{id}")
    ConversationDetails details(@PathVariable String id, Principal me) {
        return found(queries.query(new ConversationQuery(id, me.getName()),
                ResponseTypes.optionalInstanceOf(ConversationDetails.class)).join());
    }

    @GetMapping("/conversations/{id}/members")
    List<MemberView> members(@PathVariable String id, Principal me) {
        return details(id, me).members();
    }

    @PostMapping("/conversations/{id}/members")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void addMember(@PathVariable String id, @Valid @RequestBody NewMember request, Principal me) {
        AccountIds.require(request.userId(), "userId");
        commands.sendAndWait(new AddMember(id, me.getName(), request.userId()));
    }

    /** Removing oneself is leaving. */
    @DeleteMapping("/conversations/{id}/members/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeMember(@PathVariable String id, @PathVariable String userId, Principal me) {
        AccountIds.require(userId, "userId");
        commands.sendAndWait(new RemoveMember(id, me.getName(), userId));
    }

    @PutMapping("/conversations/{id}/title")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void rename(@PathVariable String id, @RequestBody TextChange request, Principal me) {
        commands.sendAndWait(new RenameGroup(id, me.getName(), request.text()));
    }

    @PostMapping("/conversations/{id}/admins")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void grantAdmin(@PathVariable String id, @Valid @RequestBody NewMember request, Principal me) {
        AccountIds.require(request.userId(), "userId");
        commands.sendAndWait(new GrantAdmin(id, me.getName(), request.userId()));
    }

    @DeleteMapping("/conversations/{id}/admins/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeAdmin(@PathVariable String id, @PathVariable String userId, Principal me) {
        AccountIds.require(userId, "userId");
        commands.sendAndWait(new RevokeAdmin(id, me.getName(), userId));
    }

    @PutMapping("/conversations/{id}/description")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void describe(@PathVariable String id, @RequestBody TextChange request, Principal me) {
        commands.sendAndWait(new ChangeGroupDescription(id, me.getName(), request.text()));
    }

    @PutMapping("/conversations/{id}/avatar")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void avatar(@PathVariable String id, @Valid @RequestBody Avatar request, Principal me) {
        commands.sendAndWait(new ChangeGroupAvatar(id, me.getName(), request.mediaId()));
    }

    @PutMapping("/conversations/{id}/announcement")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void announcement(@PathVariable String id, @Valid @RequestBody Announcement request, Principal me) {
        commands.sendAndWait(new SetAnnouncementMode(id, me.getName(), request.enabled()));
    }

    @GetMapping("/conversations/{id}/messages")
    MessagePage messages(@PathVariable String id, @RequestParam(required = false) @PositiveOrZero Long after,
                         @RequestParam(required = false) @PositiveOrZero Long before,
                         @RequestParam(required = false) @Min(1) @Max(MessagesQuery.MAX_LIMIT) Integer limit,
                         Principal me) {
        if (after != null) {
            awaitViews(List.of(id));
        }
        return found(queries.query(new MessagesQuery(id, me.getName(), after, before, limit),
                ResponseTypes.optionalInstanceOf(MessagePage.class)).join());
    }

    /** For clients without a socket: the same command and idempotency as STOMP's /app/messages.send. */
    @PostMapping("/conversations/{id}/messages")
    ResponseEntity<SendResult> send(@PathVariable String id, @Valid @RequestBody NewMessage request, Principal me) {
        limits.requireSend(me.getName());
        Mentions.requireWellFormed(request.mentions());
        MediaRef media = request.mediaId() == null ? null
                : new MediaRef(request.mediaId(), null, null, 0, null, null, null, false);
        SendResult result = commands.sendAndWait(new SendMessage(id, me.getName(), request.clientMessageId(),
                request.text(), request.replyTo(), media, request.mentions()));
        views.await(id, result.seq(), READ_YOUR_WRITES);
        return ResponseEntity.created(URI.create("/api/conversations/" + id + "/messages?after=" + (result.seq() - 1)))
                .body(result);
    }

    /**
     * Copies the message at {@code seq} into every conversation of {@code to}. The source is read as the caller
     * sees it (history, their own interval: a late joiner cannot forward what came before them, a removed member
     * only what they saw; a deleted message is gone), so the copies carry what the forwarder could read; the text
     * as edited, the file reused (its recipients may download it). Every target is checked before the first copy.
     */
    @PostMapping("/conversations/{id}/messages/{seq}/forward")
    ResponseEntity<Forwarded> forward(@PathVariable String id, @PathVariable long seq,
                                      @Valid @RequestBody Forward request, Principal me) {
        String caller = me.getName();
        awaitViews(List.of(id));
        TimelineEntry.Message source = readableMessage(id, seq, caller);
        LinkedHashSet<String> targets = new LinkedHashSet<>();
        for (String target : request.to()) {
            if (target == null || target.isBlank()) {
                throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-request", "to holds a blank conversation id");
            }
            targets.add(target);
        }
        for (String target : targets) {
            boolean member = queries.query(new ConversationQuery(target, caller),
                    ResponseTypes.optionalInstanceOf(ConversationDetails.class)).join()
                    .filter(details -> !details.removed()).isPresent();
            if (!member) {
                throw Problems.exception(HttpStatus.NOT_FOUND, "not-found", "No such conversation: " + target);
            }
        }
        String clientMessageId = request.clientMessageId() == null ? UUID.randomUUID().toString()
                : request.clientMessageId();
        List<SendResult> copies = new ArrayList<>();
        for (String target : targets) {
            limits.requireSend(caller);
            SendResult copy = commands.sendAndWait(new ForwardMessage(target, caller, clientMessageId,
                    new ForwardedFrom(id, seq), source.text(), source.media()));
            views.await(target, copy.seq(), READ_YOUR_WRITES);
            copies.add(copy);
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(new Forwarded(copies));
    }

    /** The message at {@code seq} as {@code userId} sees it; 404 when they cannot (or it was deleted). */
    private TimelineEntry.Message readableMessage(String conversationId, long seq, String userId) {
        if (seq < 1) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "message-not-found", "no message with seq " + seq);
        }
        MessagePage page = found(queries.query(new MessagesQuery(conversationId, userId, seq - 1, null, 1),
                ResponseTypes.optionalInstanceOf(MessagePage.class)).join());
        return page.messages().stream().filter(e -> e.seq() == seq).findFirst()
                .filter(TimelineEntry.Message.class::isInstance).map(TimelineEntry.Message.class::cast)
                .filter(m -> !m.deleted())
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "message-not-found",
                        "no message with seq " + seq));
    }

    @PutMapping("/conversations/{id}/messages/{seq}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void edit(@PathVariable String id, @PathVariable long seq, @RequestBody TextChange request, Principal me) {
        commands.sendAndWait(new EditMessage(id, me.getName(), seq, request.text()));
    }

    /**
     * Delete for everyone (the author, within 48 h), or with {@code ?for=me} delete for oneself: any message one
     * can see leaves one's own history, sync and search, the others keep it.
     */
    @DeleteMapping("/conversations/{id}/messages/{seq}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String id, @PathVariable long seq,
                @RequestParam(name = "for", required = false) String scope, Principal me) {
        if (scope == null || scope.equals("everyone")) {
            commands.sendAndWait(new DeleteMessage(id, me.getName(), seq));
        } else if (scope.equals("me")) {
            commands.sendAndWait(new DeleteMessageForMe(id, me.getName(), seq));
        } else {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-parameter",
                    "for must be \"me\" or \"everyone\"");
        }
    }

    @PutMapping("/conversations/{id}/messages/{seq}/star")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void star(@PathVariable String id, @PathVariable long seq, Principal me) {
        commands.sendAndWait(new StarMessage(id, me.getName(), seq));
    }

    @DeleteMapping("/conversations/{id}/messages/{seq}/star")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unstar(@PathVariable String id, @PathVariable long seq, Principal me) {
        commands.sendAndWait(new UnstarMessage(id, me.getName(), seq));
    }

    /** The caller's starred messages as they see them, newest first. */
    @GetMapping("/me/starred")
    StarredMessages starred(Principal me) {
        return queries.query(new StarredMessagesQuery(me.getName()), StarredMessages.class).join();
    }

    @PutMapping("/conversations/{id}/messages/{seq}/reaction")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void react(@PathVariable String id, @PathVariable long seq, @RequestBody Reaction request, Principal me) {
        commands.sendAndWait(new ReactToMessage(id, me.getName(), seq, request.emoji()));
    }

    @GetMapping("/conversations/{id}/messages/{seq}/receipts")
    MessageReceipts receipts(@PathVariable String id, @PathVariable long seq, Principal me) {
        return found(queries.query(new MessageReceiptsQuery(id, me.getName(), seq),
                ResponseTypes.optionalInstanceOf(MessageReceipts.class)).join());
    }

    @PostMapping("/conversations/{id}/receipts/delivered")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delivered(@PathVariable String id, @Valid @RequestBody Watermark request, Principal me) {
        commands.sendAndWait(new AcknowledgeDelivery(id, me.getName(), request.upToSeq()));
    }

    @PostMapping("/conversations/{id}/receipts/read")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void read(@PathVariable String id, @Valid @RequestBody Watermark request, Principal me) {
        commands.sendAndWait(new MarkRead(id, me.getName(), request.upToSeq()));
    }

    @PutMapping("/conversations/{id}/mute")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void mute(@PathVariable String id, @RequestBody(required = false) Mute request, Principal me) {
        commands.sendAndWait(new MuteConversation(id, me.getName(), request == null ? null : request.until()));
    }

    @DeleteMapping("/conversations/{id}/mute")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unmute(@PathVariable String id, Principal me) {
        commands.sendAndWait(new UnmuteConversation(id, me.getName()));
    }

    /** {@code since} = comma-separated {@code conversationId:seq} pairs; conversations not named come whole. */
    @GetMapping("/sync")
    SyncResult sync(@RequestParam(required = false) String since,
                    @RequestParam(required = false) @Min(1) @Max(SyncQuery.MAX_LIMIT) Integer limit, Principal me) {
        Map<String, Long> seqs = SyncPositions.parse(since);
        awaitViews(seqs.keySet());
        return queries.query(new SyncQuery(me.getName(), seqs, limit), SyncResult.class).join();
    }

    /** The same as GET, for clients holding more conversations than fit a URL. */
    @PostMapping("/sync")
    SyncResult syncBody(@Valid @RequestBody SyncRequest request, Principal me) {
        Map<String, Long> seqs = SyncPositions.check(request.since());
        awaitViews(seqs.keySet());
        return queries.query(new SyncQuery(me.getName(), seqs, request.limit()), SyncResult.class).join();
    }

    private static <T> T found(Optional<T> answer) {
        return answer.orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "not-found", "No such conversation"));
    }
}
