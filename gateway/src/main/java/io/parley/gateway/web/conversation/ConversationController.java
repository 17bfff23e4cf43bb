package io.parley.gateway.web.conversation;

import io.parley.api.account.AccountIds;
import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationIds;
import io.parley.api.conversation.ConversationQueries.*;
import io.parley.api.conversation.ConversationType;
import io.parley.api.conversation.MemberRole;
import io.parley.gateway.web.Problems;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Conversations: the inbox, starting a direct chat or a group, a conversation's details, mute and sync
 * (docs/design.md, section 5, Core shapes). The caller is the JWT's subject; every answer is restricted by membership,
 * and a non-member gets 404 (never 403). Every account id a client names must be a lower-case UUID (400
 * {@code invalid-account-id}, checked here before any command); that it belongs to a registered account is the
 * aggregate's rule (404 {@code account-not-found}, issue 15). Group management is {@link GroupController}, messages
 * and receipts {@link MessageController}.
 */
@RestController
@RequestMapping("/api")
@Tag(name = "conversations")
class ConversationController {
    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ReadYourWrites views;

    ConversationController(CommandGateway commands, QueryGateway queries, ReadYourWrites views) {
        this.commands = commands;
        this.queries = queries;
        this.views = views;
    }

    record NewConversation(@NotNull ConversationType type, String peerId, @Size(max = 256) String title,
                           // a null member id is refused by AccountIds.requireAll: 400 invalid-account-id
                           @Size(max = 100) List<String> memberIds) {
    }

    record ConversationCreated(String id, ConversationType type, String title, List<MemberView> members) {
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
        return ReadYourWrites.found(queries.query(new ConversationQuery(id, me.getName()),
                ResponseTypes.optionalInstanceOf(ConversationDetails.class)).join());
    }

    @GetMapping("/conversations/{id}/members")
    List<MemberView> members(@PathVariable String id, Principal me) {
        return details(id, me).members();
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
        views.awaitStored(seqs.keySet());
        return queries.query(new SyncQuery(me.getName(), seqs, limit), SyncResult.class).join();
    }

    /** The same as GET, for clients holding more conversations than fit a URL. */
    @PostMapping("/sync")
    SyncResult syncBody(@Valid @RequestBody SyncRequest request, Principal me) {
        Map<String, Long> seqs = SyncPositions.check(request.since());
        views.awaitStored(seqs.keySet());
        return queries.query(new SyncQuery(me.getName(), seqs, request.limit()), SyncResult.class).join();
    }
}
