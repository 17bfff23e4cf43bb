package io.parley.gateway.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.parley.api.account.AccountCommands.RevokeSession;
import io.parley.command.account.SignInSessions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The caller's own sign-in sessions (one per sign-in, each a refresh token family), read from the write side's
 * {@code sign_in_sessions} table like sign-in reads {@code credentials}: consistent at once. Ending one kills its
 * refresh token and, through its {@code SignedOut} event, closes the live STOMP sessions opened with it on every
 * node ({@code io.parley.gateway.stomp.SignedOutSessions}).
 */
@RestController
@Tag(name = "auth")
class SignInSessionController {

    private final SignInSessions sessions;
    private final CommandGateway commands;
    private final Clock clock;

    SignInSessionController(SignInSessions sessions, CommandGateway commands, Clock clock) {
        this.sessions = sessions;
        this.commands = commands;
        this.clock = clock;
    }

    /** {@code current}: the session of the access token presented; {@code userAgent} absent when none was sent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SessionView(String id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, boolean current,
                       String userAgent) {
    }

    @GetMapping("/api/me/sessions")
    @Operation(summary = "My active sign-in sessions (devices), the most recent first; current marks this one")
    List<SessionView> list(@AuthenticationPrincipal Jwt jwt) {
        String current = jwt.getClaimAsString(TokenService.SESSION);
        return sessions.active(jwt.getSubject(), clock.instant()).stream()
                .map(s -> new SessionView(s.sessionId(), s.startedAt(), s.lastUsedAt(), s.expiresAt(),
                        s.sessionId().equals(current), s.userAgent()))
                .toList();
    }

    /** Another user's session, or one already ended, is not found: nobody learns which session ids exist. */
    @DeleteMapping("/api/me/sessions/{id}")
    @Operation(summary = "End one of my sessions: its refresh token dies and its live STOMP sessions are closed")
    ResponseEntity<Void> revoke(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        commands.sendAndWait(new RevokeSession(jwt.getSubject(), id.toString()));
        return ResponseEntity.noContent().build();
    }
}
