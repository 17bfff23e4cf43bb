package io.parley.gateway.web.conversation;

import io.parley.api.conversation.Mentions;
import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationQueries.*;
import io.parley.api.conversation.ForwardedFrom;
import io.parley.api.conversation.TimelineEntry;
import io.parley.api.media.MediaRef;
import io.parley.api.receipt.ReceiptQueries.MessageReceipts;
import io.parley.api.receipt.ReceiptQueries.MessageReceiptsQuery;
import io.parley.gateway.web.limits.RateLimits;
import io.parley.gateway.web.Problems;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * Messages of a conversation: history pages, sends without a socket, forward, edit, delete, stars, reactions and
 * receipts. Every answer is restricted to what the caller sees (their membership interval, docs/design.md section 4);
 * a non-member gets 404.
 */
@RestController
@RequestMapping("/api")
@Tag(name = "conversations")
class MessageController {
    /** Conversations one forward may copy into (WhatsApp allows five chats at once; groups of bots want more). */
    static final int MAX_FORWARD_TARGETS = 20;

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ReadYourWrites views;
    private final RateLimits limits;

    MessageController(CommandGateway commands, QueryGateway queries, ReadYourWrites views, RateLimits limits) {
        this.commands = commands;
        this.queries = queries;
        this.views = views;
        this.limits = limits;
    }

    /** {@code mentions}: member ids, or {@code "@all"} in a group (README, API). */
    record NewMessage(@NotBlank @Size(max = 128) String clientMessageId, String text, Long replyTo, String mediaId,
                      List<String> mentions) {
    }

    record EditedText(String text) {
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

    /** A Long, not a long: a missing or null upToSeq is the client's error, not seq 0 (issue 15). */
    record Watermark(@NotNull @PositiveOrZero Long upToSeq) {
    }

    @GetMapping("/conversations/{id}/messages")
    MessagePage messages(@PathVariable String id, @RequestParam(required = false) @PositiveOrZero Long after,
                         @RequestParam(required = false) @PositiveOrZero Long before,
                         @RequestParam(required = false) @Min(1) @Max(MessagesQuery.MAX_LIMIT) Integer limit,
                         Principal me) {
        if (after != null) {
            views.awaitStored(List.of(id));
        }
        return ReadYourWrites.found(queries.query(new MessagesQuery(id, me.getName(), after, before, limit),
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
        views.await(id, result.seq());
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
        views.awaitStored(List.of(id));
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
            views.await(target, copy.seq());
            copies.add(copy);
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(new Forwarded(copies));
    }

    /** The message at {@code seq} as {@code userId} sees it; 404 when they cannot (or it was deleted). */
    private TimelineEntry.Message readableMessage(String conversationId, long seq, String userId) {
        if (seq < 1) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "message-not-found", "no message with seq " + seq);
        }
        MessagePage page = ReadYourWrites.found(queries.query(new MessagesQuery(conversationId, userId, seq - 1, null, 1),
                ResponseTypes.optionalInstanceOf(MessagePage.class)).join());
        return page.messages().stream().filter(e -> e.seq() == seq).findFirst()
                .filter(TimelineEntry.Message.class::isInstance).map(TimelineEntry.Message.class::cast)
                .filter(m -> !m.deleted())
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "message-not-found",
                        "no message with seq " + seq));
    }

    @PutMapping("/conversations/{id}/messages/{seq}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void edit(@PathVariable String id, @PathVariable long seq, @RequestBody EditedText request, Principal me) {
        awaitViews(commands.sendAndWait(new EditMessage(id, me.getName(), seq, request.text())));
    }

    /**
     * Read-your-writes for a change: once the 204 is out, the caller's next request (history, a forward of that
     * message) sees it, as after a send.
     */
    private void awaitViews(Object answer) {
        if (answer instanceof MessageChanged changed && changed.seq() != null) {
            views.await(changed.conversationId(), changed.seq());
        }
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
            awaitViews(commands.sendAndWait(new DeleteMessage(id, me.getName(), seq)));
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
        awaitViews(commands.sendAndWait(new ReactToMessage(id, me.getName(), seq, request.emoji())));
    }

    @GetMapping("/conversations/{id}/messages/{seq}/receipts")
    MessageReceipts receipts(@PathVariable String id, @PathVariable long seq, Principal me) {
        return ReadYourWrites.found(queries.query(new MessageReceiptsQuery(id, me.getName(), seq),
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
}
