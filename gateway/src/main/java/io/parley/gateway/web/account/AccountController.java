package io.parley.gateway.web.account;

import io.parley.api.account.AccountCommands.ChangePrivacy;
import io.parley.api.account.AccountCommands.ChangeRoles;
import io.parley.api.account.AccountCommands.RegisterAccount;
import io.parley.api.account.AccountQueries.AccountQuery;
import io.parley.api.account.AccountQueries.AccountView;
import io.parley.api.account.LastSeenVisibility;
import io.parley.api.account.Role;
import io.parley.command.account.AccountDirectory;
import io.parley.gateway.web.limits.RateLimits;
import io.parley.gateway.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

@RestController
@Tag(name = "accounts")
class AccountController {

    /** How long {@code GET /api/me} waits for a just-registered account to reach the read model. */
    private static final Duration READ_YOUR_WRITES = Duration.ofSeconds(3);

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final PasswordEncoder passwords;
    private final AccountDirectory directory;

    private final RateLimits limits;

    AccountController(CommandGateway commands, QueryGateway queries, PasswordEncoder passwords,
                      AccountDirectory directory, RateLimits limits) {
        this.limits = limits;
        this.commands = commands;
        this.queries = queries;
        this.passwords = passwords;
        this.directory = directory;
    }

    record UserProfile(String id, String handle, String displayName) {
    }

    record Registration(@NotBlank @Size(max = 32) String handle,
                        @NotBlank @Size(max = 64) String displayName,
                        @NotNull String password) {
    }

    record Registered(String id, String handle, String displayName) {
    }

    record Me(String id, String handle, String displayName, Set<Role> roles, LastSeenVisibility lastSeen) {
    }

    record PrivacyRequest(@NotNull LastSeenVisibility lastSeen) {
    }

    record RolesRequest(@NotNull Set<Role> roles) {
    }

    @PostMapping("/api/accounts")
    @Operation(summary = "Sign up: a unique handle, a display name and a password")
    ResponseEntity<Registered> register(@Valid @RequestBody Registration request, HttpServletRequest http) {
        limits.requireSignUp(http.getRemoteAddr());
        String handle = request.handle().strip().toLowerCase(Locale.ROOT);
        PasswordPolicy.check(handle, request.password());
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new RegisterAccount(id, handle, request.displayName(),
                passwords.encode(request.password()), Set.of(Role.USER)));
        return ResponseEntity.created(URI.create("/api/users/" + id))
                .body(new Registered(id, handle, request.displayName().strip()));
    }

    @GetMapping("/api/me")
    @Operation(summary = "The signed-in account")
    Me me(@AuthenticationPrincipal Jwt jwt) throws InterruptedException {
        AccountView view = awaitAccount(jwt.getSubject())
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "not-found", "No such account"));
        return new Me(view.id(), view.handle(), view.displayName(), view.roles(), view.lastSeen());
    }

    /** People find each other by handle; the handle table answers at once, the profile follows from the read model. */
    @GetMapping("/api/users/by-handle/{handle}")
    @Operation(summary = "Find a user by handle")
    UserProfile byHandle(@PathVariable String handle) throws InterruptedException {
        String id = directory.findByHandle(handle.strip().toLowerCase(Locale.ROOT)).map(AccountDirectory.Credentials::accountId)
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "user-not-found", "No user has this handle"));
        AccountView view = awaitAccount(id)
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "user-not-found", "No user has this handle"));
        return new UserProfile(view.id(), view.handle(), view.displayName());
    }

    /**
     * A profile by account id, for clients that hold ids (conversation members, senders) and show names. It reveals
     * what {@code by-handle} already shows any signed-in user; ids are random UUIDs, so it lists no one.
     */
    @GetMapping("/api/users/{id}")
    @Operation(summary = "A user's public profile ({id, handle, displayName}) by account id")
    UserProfile byId(@PathVariable UUID id) {
        AccountView view = queries.query(new AccountQuery(id.toString()),
                        ResponseTypes.optionalInstanceOf(AccountView.class)).join()
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "user-not-found", "No such user"));
        return new UserProfile(view.id(), view.handle(), view.displayName());
    }

    @PutMapping("/api/me/privacy")
    @Operation(summary = "Who may see my last seen: EVERYONE, CONTACTS or NOBODY")
    ResponseEntity<Void> privacy(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody PrivacyRequest request) {
        commands.sendAndWait(new ChangePrivacy(jwt.getSubject(), request.lastSeen()));
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/api/admin/accounts/{id}/roles")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Replace an account's roles (ADMIN only); USER is always kept")
    ResponseEntity<Void> roles(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id,
                               @Valid @RequestBody RolesRequest request) {
        commands.sendAndWait(new ChangeRoles(id.toString(), request.roles(), jwt.getSubject()));
        return ResponseEntity.noContent().build();
    }

    /**
     * The account's own profile comes from the read model, which follows the event store by a few
     * milliseconds: right after sign-up, wait for it (bounded) instead of answering 404.
     */
    private Optional<AccountView> awaitAccount(String id) throws InterruptedException {
        long deadline = System.nanoTime() + READ_YOUR_WRITES.toNanos();
        while (true) {
            Optional<AccountView> view = queries.query(new AccountQuery(id),
                    ResponseTypes.optionalInstanceOf(AccountView.class)).join();
            if (view.isPresent() || System.nanoTime() > deadline) {
                return view;
            }
            Thread.sleep(20);
        }
    }
}
