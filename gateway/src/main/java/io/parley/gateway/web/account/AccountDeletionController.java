package io.parley.gateway.web.account;

import io.parley.command.account.AccountDirectory;
import io.parley.gateway.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code DELETE /api/me}: the owner deletes their account, password re-checked (README, Account deletion). */
@RestController
@Tag(name = "accounts")
class AccountDeletionController {

    private final AccountDirectory directory;
    private final PasswordEncoder passwords;
    private final AccountDeletion deletion;

    AccountDeletionController(AccountDirectory directory, PasswordEncoder passwords, AccountDeletion deletion) {
        this.directory = directory;
        this.passwords = passwords;
        this.deletion = deletion;
    }

    record DeletionRequest(@NotNull String password) {
    }

    @DeleteMapping("/api/me")
    @Operation(summary = "Delete my account for good: personal data erased everywhere (crypto-shredding)")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody DeletionRequest request) {
        String accountId = jwt.getSubject();
        boolean matches = directory.findById(accountId)
                .map(credentials -> passwords.matches(request.password(), credentials.passwordHash()))
                .orElse(false);
        if (!matches) {
            throw Problems.exception(HttpStatus.FORBIDDEN, "wrong-password",
                    "Deleting the account needs the account's current password");
        }
        deletion.delete(accountId);
        return ResponseEntity.noContent().build();
    }
}
