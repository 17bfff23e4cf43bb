package io.parley.gateway.web.account;

import io.parley.api.account.AccountCommands.DeleteAccount;
import io.parley.api.conversation.ConversationCommands.LeaveGroup;
import io.parley.api.conversation.ConversationQueries.Inbox;
import io.parley.api.conversation.ConversationQueries.InboxEntry;
import io.parley.api.conversation.ConversationQueries.InboxQuery;
import io.parley.api.conversation.ConversationType;
import io.parley.command.media.MediaErasure;
import io.parley.command.media.storage.MediaStores;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.List;

/**
 * What deleting an account does besides its event (README, Account deletion). The {@code DeleteAccount} command
 * is the point of no return: with {@code AccountDeleted} its sessions end, its handle is released and its data key
 * is destroyed, all in one transaction. Then, as in WhatsApp, the account leaves every group it is in (a group
 * whose last admin it was promotes its oldest member, the rule of {@code LeaveGroup}), its file names are erased
 * from the write side's {@code media_files} and the bytes of its files deleted from the media store. Live STOMP
 * sessions are closed and access tokens refused by every node's live-delivery processor ({@code SuspendedSessions},
 * {@code SuspendedAccounts}); the read models erase its content in their own processing groups.
 */
@Component
class AccountDeletion {
    private static final Logger log = LoggerFactory.getLogger(AccountDeletion.class);

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final MediaErasure mediaFiles;
    private final MediaStores stores;

    AccountDeletion(CommandGateway commands, QueryGateway queries, MediaErasure mediaFiles, MediaStores stores) {
        this.commands = commands;
        this.queries = queries;
        this.mediaFiles = mediaFiles;
        this.stores = stores;
    }

    void delete(String accountId) {
        // read before the deletion: the inbox answers for a member, and the groups are what it is in now
        List<String> groups = queries.query(new InboxQuery(accountId), Inbox.class).join().conversations().stream()
                .filter(c -> c.type() == ConversationType.GROUP).map(InboxEntry::id).toList();
        commands.sendAndWait(new DeleteAccount(accountId));
        for (String group : groups) {
            try {
                commands.sendAndWait(new LeaveGroup(group, accountId));
            } catch (CommandExecutionException notAMember) {
                // removed or left since the inbox was read: nothing to leave
                log.debug("Deleted account {} was no member of {} any more", accountId, group);
            }
        }
        List<String> contents = mediaFiles.eraseUploader(accountId);
        int deleted = 0;
        for (String sha256 : contents) {
            try {
                deleted += stores.blobs().delete(sha256) ? 1 : 0;
                stores.thumbnails().delete(sha256);
            } catch (IOException e) {
                log.warn("Could not delete a file of deleted account {} from the media store: {}", accountId, e.toString());
            }
        }
        log.info("Account {} deleted: {} groups left, {} files deleted from the media store", accountId,
                groups.size(), deleted);
    }
}
