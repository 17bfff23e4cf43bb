package io.parley.command.conversation;

import java.util.Collection;
import java.util.Set;

/**
 * Implemented by the account feature, which owns the handle claims: the Conversation aggregate cannot read
 * another aggregate (nor a read model, docs/design.md, section 3), so before a member is named in any event it
 * asks this port whether the account exists. Without an implementation in the context every account counts as
 * unknown (fail closed: no conversation with a ghost member).
 */
public interface KnownAccounts {

    /** @return the ids among {@code accountIds} that no registered account has (empty when all exist). */
    Set<String> unknown(Collection<String> accountIds);
}
