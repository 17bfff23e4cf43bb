package io.parley.api.account;

/** Why sign-in sessions ended (the {@code SignedOut} event). */
public enum SignOutReason {
    /** the user signed out of one device */
    SIGN_OUT,
    /** the user signed out of every device */
    SIGN_OUT_EVERYWHERE,
    /**
     * a refresh token was presented again after it had been exchanged: someone holds a copy, so the whole
     * session is revoked (OAuth 2.0 Security BCP, refresh token rotation)
     */
    REFRESH_TOKEN_REUSED,
    /** a platform ADMIN suspended the account: every session ends */
    SUSPENDED,
    /** the user ended this session from a device of theirs ({@code DELETE /api/me/sessions/{id}}) */
    SESSION_REVOKED,
    /** the password was changed: every session ends, the one changing it too */
    PASSWORD_CHANGED,
    /** the owner deleted the account: every session ends */
    ACCOUNT_DELETED
}
