package io.parley.api.account;

/** Who may see an account's last-seen time (WhatsApp's three choices). */
public enum LastSeenVisibility {
    EVERYONE, CONTACTS, NOBODY
}
