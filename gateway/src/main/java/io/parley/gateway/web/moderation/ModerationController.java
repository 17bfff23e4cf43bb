package io.parley.gateway.web.moderation;

import io.parley.api.account.AccountCommands.ReinstateAccount;
import io.parley.api.account.AccountCommands.SuspendAccount;
import io.parley.api.account.AccountIds;
import io.parley.api.conversation.ConversationCommands.ModerateMember;
import io.parley.api.conversation.ConversationCommands.ModerateMessage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * Moderation by platform ADMINs (README, Reports and moderation), each step an event naming the moderator:
 * suspending and reinstating accounts, deleting any group message, removing any group member.
 */
@RestController
@Tag(name = "moderation")
@PreAuthorize("hasRole('ADMIN')")
class ModerationController {
    private final CommandGateway commands;

    ModerationController(CommandGateway commands) {
        this.commands = commands;
    }

    record Suspension(@NotBlank String reason) {
    }

    @PostMapping("/api/admin/accounts/{id}/suspend")
    @Operation(summary = "Suspend an account: its live sessions close, its sign-in sessions end, sign-in and refresh are refused")
    ResponseEntity<Void> suspend(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id,
                                 @Valid @RequestBody Suspension request) {
        commands.sendAndWait(new SuspendAccount(id.toString(), request.reason(), jwt.getSubject()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/admin/accounts/{id}/reinstate")
    @Operation(summary = "Lift a suspension: the account may sign in again")
    ResponseEntity<Void> reinstate(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        commands.sendAndWait(new ReinstateAccount(id.toString(), jwt.getSubject()));
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/api/admin/conversations/{id}/messages/{seq}")
    @Operation(summary = "Delete any message of a group for everyone")
    ResponseEntity<Void> deleteMessage(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                       @PathVariable long seq) {
        commands.sendAndWait(new ModerateMessage(id, jwt.getSubject(), seq));
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/api/admin/conversations/{id}/members/{userId}")
    @Operation(summary = "Remove any member from a group")
    ResponseEntity<Void> removeMember(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                      @PathVariable String userId) {
        AccountIds.require(userId, "userId");
        commands.sendAndWait(new ModerateMember(id, jwt.getSubject(), userId));
        return ResponseEntity.noContent().build();
    }
}
