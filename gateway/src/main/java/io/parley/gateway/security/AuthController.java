package io.parley.gateway.security;

import io.parley.command.account.AccountDirectory;
import io.parley.command.account.AccountDirectory.Credentials;
import io.parley.gateway.security.TokenService.TokenPair;
import io.parley.gateway.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Optional;

/**
 * Sign-in against the write side's credentials table (consistent at once: no read model in the way),
 * answered with a short-lived access token and a one-time refresh token; refresh and sign-out.
 */
@RestController
@Tag(name = "auth")
class AuthController {

    /** Compared against when the handle is unknown, so both failures take the same time. */
    private final String decoyHash;

    private final AccountDirectory directory;
    private final PasswordEncoder passwords;
    private final TokenService tokens;
    private final SignInThrottle throttle;

    AuthController(AccountDirectory directory, PasswordEncoder passwords, TokenService tokens, SignInThrottle throttle) {
        this.directory = directory;
        this.passwords = passwords;
        this.tokens = tokens;
        this.throttle = throttle;
        this.decoyHash = passwords.encode("decoy-password-never-used");
    }

    record SignIn(@NotBlank String handle, @NotBlank String password) {
    }

    record Refresh(@NotBlank String refreshToken) {
    }

    @PostMapping("/api/auth/token")
    @Operation(summary = "Exchange handle and password for an access token and a refresh token")
    TokenPair token(@Valid @RequestBody SignIn request, HttpServletRequest http) {
        if (request.handle().indexOf('\0') >= 0) {
            // PostgreSQL text cannot hold U+0000: the lookup would fail with a 500 (issue 15)
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-handle", "A handle may not contain U+0000");
        }
        String handle = SignInThrottle.normalise(request.handle());
        // the peer's address, not X-Forwarded-For: a header the client chooses would let it pick its own counter
        String address = http.getRemoteAddr();
        throttle.check(handle, address);
        Optional<Credentials> credentials = directory.findByHandle(handle);
        boolean matches = passwords.matches(request.password(),
                credentials.map(Credentials::passwordHash).orElse(decoyHash));
        if (credentials.isEmpty() || !matches) {
            throttle.failed(handle, address);
            throw Problems.exception(HttpStatus.UNAUTHORIZED, "invalid-credentials", "Wrong handle or password");
        }
        throttle.succeeded(handle, address);
        Credentials c = credentials.get();
        // told only to whoever knows the password: a suspension is nobody else's business
        if (c.suspended()) {
            throw TokenService.suspended();
        }
        return tokens.issue(c.accountId(), c.handle(), c.roles(), http.getHeader("User-Agent"));
    }

    /** One-time: the answer carries the next refresh token, and the one presented is used up (TokenService). */
    @PostMapping("/api/auth/refresh")
    @Operation(summary = "Exchange a refresh token for a new token pair (roles re-read); the old refresh token is used up")
    TokenPair refresh(@Valid @RequestBody Refresh request) {
        return tokens.refresh(request.refreshToken());
    }

    /**
     * The refresh token is the credential here, not the access token: a client whose access token has expired
     * can still end its session. {@code logout} is the same call under the name OAuth clients look for.
     */
    @PostMapping({"/api/auth/sign-out", "/api/auth/logout"})
    @Operation(summary = "Sign out of this device: ends the session of the refresh token")
    ResponseEntity<Void> signOut(@Valid @RequestBody Refresh request) {
        tokens.signOut(request.refreshToken());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/auth/sign-out-all")
    @Operation(summary = "Sign out of every device: ends every session of the signed-in account")
    ResponseEntity<Void> signOutEverywhere(@AuthenticationPrincipal Jwt jwt) {
        tokens.signOutEverywhere(jwt.getSubject());
        return ResponseEntity.noContent().build();
    }
}
