package io.parley.gateway.web.conversation;

import io.parley.api.conversation.ConversationCommands.CreateInvite;
import io.parley.api.conversation.ConversationCommands.JoinByInvite;
import io.parley.api.conversation.ConversationCommands.Joined;
import io.parley.api.conversation.ConversationCommands.RevokeInvite;
import io.parley.api.conversation.ConversationQueries.ConversationDetails;
import io.parley.api.conversation.ConversationQueries.ConversationQuery;
import io.parley.gateway.web.Problems;
import io.parley.query.conversation.ConversationViewAwaiter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;

/**
 * Group invite links (issue 17): admins make and revoke them, anyone signed in joins with one. The token is made
 * here and shown once; the aggregate keeps only its SHA-256 ({@link InviteTokens}).
 */
@RestController
@RequestMapping("/api")
@Tag(name = "conversations")
class InviteController {
    private static final Duration READ_YOUR_WRITES = Duration.ofSeconds(2);

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ConversationViewAwaiter views;

    InviteController(CommandGateway commands, QueryGateway queries, ConversationViewAwaiter views) {
        this.commands = commands;
        this.queries = queries;
        this.views = views;
    }

    /** {@code maxUses} absent: unlimited; {@code expiresAt} absent: never. */
    record NewInvite(@Min(1) Integer maxUses, Instant expiresAt) {
    }

    /** {@code url}: where the holder joins ({@code POST}). */
    record Invite(String token, String url, Integer maxUses, Instant expiresAt) {
    }

    @PostMapping("/conversations/{id}/invites")
    ResponseEntity<Invite> create(@PathVariable String id, @Valid @RequestBody(required = false) NewInvite request,
                                  Principal me) {
        NewInvite asked = request == null ? new NewInvite(null, null) : request;
        String token = InviteTokens.issue(id);
        commands.sendAndWait(new CreateInvite(id, me.getName(), InviteTokens.hash(token), asked.maxUses(),
                asked.expiresAt()));
        String url = ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/invites/{token}/join")
                .buildAndExpand(token).toUriString();
        return ResponseEntity.status(HttpStatus.CREATED).body(new Invite(token, url, asked.maxUses(),
                asked.expiresAt()));
    }

    @DeleteMapping("/conversations/{id}/invites/{token}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String id, @PathVariable String token, Principal me) {
        InviteTokens.groupOf(token);
        commands.sendAndWait(new RevokeInvite(id, me.getName(), InviteTokens.hash(token)));
    }

    /** 200 with the conversation as the (new) member sees it; a member already gets it unchanged. */
    @PostMapping("/invites/{token}/join")
    ConversationDetails join(@PathVariable String token, Principal me) {
        String groupId = InviteTokens.groupOf(token);
        Joined joined;
        try {
            joined = commands.sendAndWait(new JoinByInvite(groupId, me.getName(), InviteTokens.hash(token)));
        } catch (AggregateNotFoundException e) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "invite-not-found", "no such invite");
        }
        if (joined.seq() != null) {
            views.await(groupId, joined.seq(), READ_YOUR_WRITES);
        }
        return queries.query(new ConversationQuery(groupId, me.getName()),
                        ResponseTypes.optionalInstanceOf(ConversationDetails.class)).join()
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "not-found", "No such conversation"));
    }
}
