package io.parley.command.privacy;

import java.util.Set;

/** The accounts deleted so far (their data key destroyed): read once at start by what must refuse them at once. */
@FunctionalInterface
public interface DeletedAccounts {
    Set<String> all();
}
