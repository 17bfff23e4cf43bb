package io.parley.gateway.security;

import io.parley.api.account.AccountCommands.SignOut;
import io.parley.api.account.Role;
import io.parley.api.account.SignOutReason;
import io.parley.command.account.AccountDirectory;
import io.parley.command.account.AccountDirectory.Credentials;
import io.parley.command.account.SignInSessions;
import io.parley.command.account.SignInSessions.Outcome;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.web.ErrorResponseException;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** What a refresh answers for each outcome of the session table, and that reuse ends the session by command. */
class TokenServiceTest {

    private static final String ALICE = "6f1c8a52-8f7e-4c59-9a55-3c1f5f4b0d11";

    private final SecretKey key = new SecretKeySpec(new byte[32], "HmacSHA256");
    private final SecurityConfiguration configuration = new SecurityConfiguration();
    private final SignInSessions sessions = mock(SignInSessions.class);
    private final AccountDirectory directory = mock(AccountDirectory.class);
    private final CommandGateway commands = mock(CommandGateway.class);
    private final TokenService tokens = new TokenService(configuration.jwtEncoder(key),
            configuration.refreshTokenDecoder(key), new SecurityProperties(null, null, null, null, null),
            Clock.fixed(Instant.now(), ZoneOffset.UTC), sessions, directory, commands);

    TokenServiceTest() {
        when(directory.findById(ALICE)).thenReturn(Optional.of(new Credentials(ALICE, "alice", "hash",
                Set.of(Role.USER))));
    }

    private TokenService.RefreshToken signedIn() {
        String refresh = tokens.issue(ALICE, "alice", Set.of(Role.USER)).refreshToken();
        return tokens.verify(refresh);
    }

    private String refreshTokenWhenRotationSays(Outcome outcome) {
        String refresh = tokens.issue(ALICE, "alice", Set.of(Role.USER)).refreshToken();
        when(sessions.rotate(anyString(), eq(ALICE), anyString(), anyString(), any(), any())).thenReturn(outcome);
        return refresh;
    }

    private static String type(ErrorResponseException e) {
        assertThat(e.getStatusCode().value()).isEqualTo(401);
        String type = e.getBody().getType().toString();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    @Test
    void aSignInStartsASessionWhoseTokenNamesIt() {
        TokenService.RefreshToken token = signedIn();
        ArgumentCaptor<String> session = ArgumentCaptor.forClass(String.class);
        ArgumentCaptor<String> tokenId = ArgumentCaptor.forClass(String.class);
        verify(sessions).start(session.capture(), eq(ALICE), tokenId.capture(), any(), any(), isNull());
        assertThat(token.sessionId()).isEqualTo(session.getValue());
        assertThat(token.tokenId()).isEqualTo(tokenId.getValue());
        assertThat(token.accountId()).isEqualTo(ALICE);
    }

    /** GET /api/me/sessions tells the caller's own session, and a STOMP session its sign-in, by this claim. */
    @Test
    void theAccessTokenNamesTheSessionOfItsRefreshTokenAndTheUserAgentIsKept() {
        TokenService.TokenPair pair = tokens.issue(ALICE, "alice", Set.of(Role.USER), "ParleyPhone/2.1");
        String sid = configuration.jwtDecoder(key, new SuspendedAccounts(directory, Set::of, mock(io.parley.api.privacy.DataKeys.class))).decode(pair.accessToken())
                .getClaimAsString(TokenService.SESSION);
        assertThat(sid).isNotNull().isEqualTo(tokens.verify(pair.refreshToken()).sessionId());
        verify(sessions).start(eq(sid), eq(ALICE), anyString(), any(), any(), eq("ParleyPhone/2.1"));
        // a refreshed pair keeps naming the same session
        when(sessions.rotate(eq(sid), eq(ALICE), anyString(), anyString(), any(), any())).thenReturn(Outcome.ROTATED);
        String refreshed = tokens.refresh(pair.refreshToken()).accessToken();
        assertThat(configuration.jwtDecoder(key, new SuspendedAccounts(directory, Set::of, mock(io.parley.api.privacy.DataKeys.class))).decode(refreshed)
                .getClaimAsString(TokenService.SESSION)).isEqualTo(sid);
    }

    @Test
    void aRotationAnswersTheNextTokenOfTheSameSession() {
        String first = refreshTokenWhenRotationSays(Outcome.ROTATED);
        TokenService.RefreshToken presented = tokens.verify(first);
        TokenService.RefreshToken next = tokens.verify(tokens.refresh(first).refreshToken());
        assertThat(next.sessionId()).isEqualTo(presented.sessionId());
        assertThat(next.tokenId()).isNotEqualTo(presented.tokenId());
        verify(sessions).rotate(eq(presented.sessionId()), eq(ALICE), eq(presented.tokenId()), eq(next.tokenId()),
                any(), any());
        verify(commands, never()).sendAndWait(any());
    }

    @Test
    void reuseEndsTheSessionThroughTheAccountAndIsRefused() {
        String used = refreshTokenWhenRotationSays(Outcome.REUSED);
        String session = tokens.verify(used).sessionId();
        ErrorResponseException refused = catchThrowableOfType(() -> tokens.refresh(used), ErrorResponseException.class);
        assertThat(type(refused)).isEqualTo("refresh-token-reused");
        verify(commands).sendAndWait(new SignOut(ALICE, session, SignOutReason.REFRESH_TOKEN_REUSED));
    }

    @Test
    void revokedUnknownAndExpiredSessionsAreRefusedWithoutAnotherSignOut() {
        assertThat(type(catchThrowableOfType(() -> tokens.refresh(refreshTokenWhenRotationSays(Outcome.REVOKED)),
                ErrorResponseException.class))).isEqualTo("refresh-token-revoked");
        assertThat(type(catchThrowableOfType(() -> tokens.refresh(refreshTokenWhenRotationSays(Outcome.UNKNOWN)),
                ErrorResponseException.class))).isEqualTo("refresh-token-revoked");
        assertThat(type(catchThrowableOfType(() -> tokens.refresh(refreshTokenWhenRotationSays(Outcome.EXPIRED)),
                ErrorResponseException.class))).isEqualTo("invalid-refresh-token");
        verify(commands, never()).sendAndWait(any());
    }

    @Test
    void anAccessTokenOrGarbageIsNoRefreshToken() {
        String access = tokens.issue(ALICE, "alice", Set.of(Role.USER)).accessToken();
        assertThat(type(catchThrowableOfType(() -> tokens.refresh(access), ErrorResponseException.class)))
                .isEqualTo("invalid-refresh-token");
        assertThat(type(catchThrowableOfType(() -> tokens.signOut("garbage"), ErrorResponseException.class)))
                .isEqualTo("invalid-refresh-token");
        verify(commands, never()).sendAndWait(any());
    }

    @Test
    void signOutNamesTheTokensSessionAndSignOutAllNamesNone() {
        TokenService.RefreshToken token = signedIn();
        tokens.signOut(tokens.issue(ALICE, "alice", Set.of(Role.USER)).refreshToken());
        ArgumentCaptor<SignOut> sent = ArgumentCaptor.forClass(SignOut.class);
        verify(commands).sendAndWait(sent.capture());
        assertThat(sent.getValue().reason()).isEqualTo(SignOutReason.SIGN_OUT);
        assertThat(sent.getValue().sessionId()).isNotNull().isNotEqualTo(token.sessionId());
        tokens.signOutEverywhere(ALICE);
        verify(commands).sendAndWait(new SignOut(ALICE, null, SignOutReason.SIGN_OUT_EVERYWHERE));
    }
}
