package io.parley.gateway.security;

import io.parley.api.account.AccountCommands.ChangePassword;
import io.parley.command.account.AccountDirectory;
import io.parley.command.account.AccountDirectory.Credentials;
import io.parley.gateway.web.Problems;
import io.parley.gateway.web.account.PasswordPolicy;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /api/me/password}: the current password proves it is the owner, not only someone holding an access
 * token, so a wrong one is counted by the sign-in throttle like a failed sign-in (a stolen token cannot be used to
 * guess it). The new one meets the sign-up policy. The change ends every sign-in session of the account, this one
 * included: the answer is 204 and the client signs in again with the new password (README, Account lifecycle).
 */
@RestController
@Tag(name = "auth")
class PasswordController {

    private final AccountDirectory directory;
    private final PasswordEncoder passwords;
    private final SignInThrottle throttle;
    private final CommandGateway commands;

    PasswordController(AccountDirectory directory, PasswordEncoder passwords, SignInThrottle throttle,
                       CommandGateway commands) {
        this.directory = directory;
        this.passwords = passwords;
        this.throttle = throttle;
        this.commands = commands;
    }

    record PasswordChange(@NotNull String oldPassword, @NotNull String newPassword) {
    }

    @PutMapping("/api/me/password")
    @Operation(summary = "Change my password (the current one is checked); every session ends: sign in again")
    ResponseEntity<Void> change(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody PasswordChange request,
                                HttpServletRequest http) {
        Credentials account = directory.findById(jwt.getSubject())
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "not-found", "No such account"));
        String address = http.getRemoteAddr();
        throttle.check(account.handle(), address);
        if (!passwords.matches(request.oldPassword(), account.passwordHash())) {
            throttle.failed(account.handle(), address);
            throw Problems.exception(HttpStatus.FORBIDDEN, "wrong-password", "The current password is wrong");
        }
        throttle.succeeded(account.handle(), address);
        PasswordPolicy.check(account.handle(), request.newPassword());
        commands.sendAndWait(new ChangePassword(account.accountId(), passwords.encode(request.newPassword())));
        return ResponseEntity.noContent().build();
    }
}
