package io.parley.gateway.web.account;

import io.parley.api.account.AccountCommands.ChangeDisplayName;
import io.parley.command.account.AccountDirectory;
import io.parley.gateway.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /api/me/display-name}: the Account aggregate checks the name (the sign-up rules) and records a
 * {@code DisplayNameChanged}; the accounts view, which {@code GET /api/users/{id}} and member lists read, and the
 * push titles follow it. The answer is the profile as others now see it.
 */
@RestController
@Tag(name = "accounts")
class DisplayNameController {

    private final CommandGateway commands;
    private final AccountDirectory directory;

    DisplayNameController(CommandGateway commands, AccountDirectory directory) {
        this.commands = commands;
        this.directory = directory;
    }

    /** Length and blankness are the aggregate's to judge, so every client gets its {@code invalid-display-name}. */
    record DisplayNameRequest(@NotNull String displayName) {
    }

    @PutMapping("/api/me/display-name")
    @Operation(summary = "Change my display name (1 to 64 characters): {id, handle, displayName}")
    AccountController.UserProfile change(@AuthenticationPrincipal Jwt jwt,
                                         @Valid @RequestBody DisplayNameRequest request) {
        String handle = directory.findById(jwt.getSubject()).map(AccountDirectory.Credentials::handle)
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "not-found", "No such account"));
        commands.sendAndWait(new ChangeDisplayName(jwt.getSubject(), request.displayName()));
        return new AccountController.UserProfile(jwt.getSubject(), handle, request.displayName().strip());
    }
}
