package io.parley.gateway.push;

import io.parley.api.conversation.ConversationCommands.MuteConversation;
import io.parley.api.conversation.ConversationCommands.UnmuteConversation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.UUID;

/**
 * Muting a conversation for oneself: no pushes for it (forever, or until a time). The Conversation aggregate
 * checks membership and that {@code until} lies ahead; the push processor learns it from the events.
 */
@RestController
@Tag(name = "conversations")
class MuteController {

    private final CommandGateway commands;

    MuteController(CommandGateway commands) {
        this.commands = commands;
    }

    /** {@code until} absent or null mutes until unmuted. */
    record MuteRequest(Instant until) {
    }

    @PutMapping("/api/conversations/{id}/mute")
    @Operation(summary = "Mute a conversation for me (no push notifications), optionally until a time")
    ResponseEntity<Void> mute(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id,
                              @RequestBody(required = false) MuteRequest request) {
        commands.sendAndWait(new MuteConversation(id.toString(), jwt.getSubject(),
                request == null ? null : request.until()));
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/api/conversations/{id}/mute")
    @Operation(summary = "Unmute a conversation for me")
    ResponseEntity<Void> unmute(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        commands.sendAndWait(new UnmuteConversation(id.toString(), jwt.getSubject()));
        return ResponseEntity.noContent().build();
    }
}
