package io.parley.api.account;

/** What a signed-in account may do beyond chatting. Every account is a USER. */
public enum Role {
    USER, AUDITOR, ANALYST, ADMIN
}
