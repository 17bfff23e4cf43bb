package io.parley.gateway.web.conversation;

import io.parley.api.account.AccountIds;
import io.parley.api.conversation.ConversationCommands.*;
import io.parley.api.conversation.ConversationQueries.*;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;

/**
 * Group management: members, title, admins, description, avatar and announcement mode. Every rule (admins only,
 * at most 100 members, the last admin) is the Conversation aggregate's; account ids are checked for shape here
 * (400 {@code invalid-account-id}) before any command.
 */
@RestController
@RequestMapping("/api")
@Tag(name = "conversations")
class GroupController {
    private final CommandGateway commands;

    GroupController(CommandGateway commands) {
        this.commands = commands;
    }

    record NewMember(@NotBlank String userId) {
    }

    record TextChange(String text) {
    }

    /** An IMAGE the caller uploaded. */
    record Avatar(@NotBlank String mediaId) {
    }

    /** true: only admins send. */
    record Announcement(@NotNull Boolean enabled) {
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
}
