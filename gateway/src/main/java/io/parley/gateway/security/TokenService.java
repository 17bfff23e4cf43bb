package io.parley.gateway.security;

import io.parley.api.account.AccountCommands.SignOut;
import io.parley.api.account.Role;
import io.parley.api.account.SignOutReason;
import io.parley.command.account.AccountDirectory;
import io.parley.command.account.AccountDirectory.Credentials;
import io.parley.command.account.SignInSessions;
import io.parley.command.account.SignInSessions.Outcome;
import io.parley.gateway.web.Problems;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Mints access and refresh tokens. Both are JWTs signed with the same key, told apart by the {@code token_use}
 * claim: the resource server accepts only {@code access}, the refresh endpoint only {@code refresh}.
 * <p>
 * Access tokens are stateless and short-lived: no request looks anything up to accept one. Refresh tokens are
 * one-time (OAuth 2.0 Security BCP, refresh token rotation; README, "Reliability and security"): each sign-in
 * starts a session ({@code sid}) in {@link SignInSessions}, each refresh exchanges the session's current token
 * ({@code jti}) for a new one, and a token presented again after its exchange ends the whole session, recorded
 * as a {@code SignedOut} event with reason {@code REFRESH_TOKEN_REUSED}: whoever presented it second, thief or
 * owner, the other one holds a copy.
 */
@Service
public class TokenService {

    public static final String ISSUER = "parley";
    public static final String TOKEN_USE = "token_use";
    public static final String ROLES = "roles";
    public static final String HANDLE = "handle";
    /**
     * the sign-in session (refresh token family) a token belongs to: on refresh tokens, and on access tokens so
     * that {@code GET /api/me/sessions} can tell the caller's own session and a live STOMP session knows the
     * sign-in it was opened with (closed when that ends)
     */
    public static final String SESSION = "sid";

    private static final Logger log = LoggerFactory.getLogger(TokenService.class);

    private final JwtEncoder encoder;
    private final JwtDecoder refreshDecoder;
    private final SecurityProperties properties;
    private final Clock clock;
    private final SignInSessions sessions;
    private final AccountDirectory directory;
    private final CommandGateway commands;

    TokenService(JwtEncoder encoder, @Qualifier("refreshTokenDecoder") JwtDecoder refreshTokenDecoder,
                 SecurityProperties properties, Clock clock, SignInSessions sessions, AccountDirectory directory,
                 CommandGateway commands) {
        this.encoder = encoder;
        this.refreshDecoder = refreshTokenDecoder;
        this.properties = properties;
        this.clock = clock;
        this.sessions = sessions;
        this.directory = directory;
        this.commands = commands;
    }

    /** A sign-in: a new session and its first token pair. */
    public TokenPair issue(String accountId, String handle, Set<Role> roles) {
        return issue(accountId, handle, roles, null);
    }

    /** A sign-in from a client that sent {@code userAgent} (null when none), shown in the list of sessions. */
    public TokenPair issue(String accountId, String handle, Set<Role> roles, String userAgent) {
        Instant now = clock.instant();
        String sessionId = UUID.randomUUID().toString();
        String tokenId = UUID.randomUUID().toString();
        Instant expiresAt = now.plus(properties.refreshTokenTtl());
        sessions.start(sessionId, accountId, tokenId, expiresAt, now, userAgent);
        return pair(accountId, handle, roles, sessionId, tokenId, now, expiresAt);
    }

    /**
     * Exchanges a refresh token for a new pair (roles re-read), the presented token becoming unusable.
     *
     * @throws ErrorResponseException 401 {@code invalid-refresh-token} (forged, expired, not a refresh token,
     *                                account gone), {@code refresh-token-revoked} (its session was ended) or
     *                                {@code refresh-token-reused} (already exchanged: its session is now ended);
     *                                403 {@code account-suspended}
     */
    public TokenPair refresh(String refreshToken) {
        RefreshToken presented = verify(refreshToken);
        Credentials account = directory.findById(presented.accountId()).orElseThrow(() ->
                refused("invalid-refresh-token", "The account no longer exists"));
        if (account.suspended()) {
            throw suspended();
        }
        Instant now = clock.instant();
        String next = UUID.randomUUID().toString();
        Instant expiresAt = now.plus(properties.refreshTokenTtl());
        Outcome outcome = sessions.rotate(presented.sessionId(), presented.accountId(), presented.tokenId(), next,
                expiresAt, now);
        switch (outcome) {
            case ROTATED -> {
                return pair(account.accountId(), account.handle(), account.roles(), presented.sessionId(), next,
                        now, expiresAt);
            }
            case REUSED -> {
                log.warn("Refresh token reused: ending session {} of account {}", presented.sessionId(),
                        presented.accountId());
                commands.sendAndWait(new SignOut(presented.accountId(), presented.sessionId(),
                        SignOutReason.REFRESH_TOKEN_REUSED));
                throw refused("refresh-token-reused", "This refresh token was already used, so a copy of it is"
                        + " about: its session is now signed out; sign in again");
            }
            case EXPIRED -> throw refused("invalid-refresh-token", "The refresh token is invalid or expired");
            default -> throw refused("refresh-token-revoked", "This session was signed out: sign in again");
        }
    }

    /**
     * Ends the session of a refresh token (any of its tokens, exchanged or not): {@code POST /api/auth/sign-out}
     * and its alias {@code POST /api/auth/logout}.
     */
    public void signOut(String refreshToken) {
        RefreshToken presented = verify(refreshToken);
        commands.sendAndWait(new SignOut(presented.accountId(), presented.sessionId(), SignOutReason.SIGN_OUT));
    }

    /** Ends every session of the account. */
    public void signOutEverywhere(String accountId) {
        commands.sendAndWait(new SignOut(accountId, null, SignOutReason.SIGN_OUT_EVERYWHERE));
    }

    /** @throws ErrorResponseException 401 {@code invalid-refresh-token} unless signed here, unexpired, of a session */
    RefreshToken verify(String refreshToken) {
        Jwt jwt;
        try {
            jwt = refreshDecoder.decode(refreshToken);
        } catch (JwtException e) {
            throw refused("invalid-refresh-token", "The refresh token is invalid or expired");
        }
        String sessionId = jwt.getClaimAsString(SESSION);
        if (sessionId == null || jwt.getId() == null || jwt.getSubject() == null) {
            // a token minted before sessions existed: its holder signs in once more
            throw refused("invalid-refresh-token", "The refresh token belongs to no session: sign in again");
        }
        return new RefreshToken(jwt.getSubject(), sessionId, jwt.getId());
    }

    private TokenPair pair(String accountId, String handle, Set<Role> roles, String sessionId, String tokenId,
                           Instant now, Instant refreshExpiresAt) {
        String access = encode(JwtClaimsSet.builder()
                .issuer(ISSUER).subject(accountId).issuedAt(now).expiresAt(now.plus(properties.accessTokenTtl()))
                .id(UUID.randomUUID().toString())
                .claim(TOKEN_USE, "access").claim(HANDLE, handle).claim(SESSION, sessionId)
                .claim(ROLES, roles.stream().map(Role::name).sorted().toList())
                .build());
        String refresh = encode(JwtClaimsSet.builder()
                .issuer(ISSUER).subject(accountId).issuedAt(now).expiresAt(refreshExpiresAt)
                .id(tokenId)
                .claim(TOKEN_USE, "refresh").claim(SESSION, sessionId)
                .build());
        return new TokenPair(access, refresh, "Bearer", properties.accessTokenTtl().toSeconds());
    }

    private String encode(JwtClaimsSet claims) {
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }

    /** A suspended account neither signs in nor refreshes (README, Reports and moderation). */
    static ErrorResponseException suspended() {
        return Problems.exception(HttpStatus.FORBIDDEN, "account-suspended", "This account is suspended");
    }

    private static ErrorResponseException refused(String type, String detail) {
        return Problems.exception(HttpStatus.UNAUTHORIZED, type, detail);
    }

    public record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }

    /** What a verified refresh token says: whose, which session, which token of it. */
    record RefreshToken(String accountId, String sessionId, String tokenId) {
    }
}
