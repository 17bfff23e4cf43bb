package io.parley.gateway.web.account;

import io.parley.api.account.AccountCommands.BlockUser;
import io.parley.api.account.AccountCommands.UnblockUser;
import io.parley.api.account.AccountIds;
import io.parley.api.account.AccountQueries.BlockedAccount;
import io.parley.api.account.AccountQueries.BlockedAccountsQuery;
import io.parley.command.account.AccountDirectory;
import io.parley.gateway.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * The caller's block list (README, Blocking). Blocking and unblocking are Account commands: the block is in
 * force from the commit of its {@code UserBlocked} on (the write side's {@code blocks} table); the list is the
 * accounts read model, a moment behind.
 */
@RestController
@Tag(name = "accounts")
class BlockController {
    private final CommandGateway commands;
    private final QueryGateway queries;
    private final AccountDirectory directory;

    BlockController(CommandGateway commands, QueryGateway queries, AccountDirectory directory) {
        this.commands = commands;
        this.queries = queries;
        this.directory = directory;
    }

    @PostMapping("/api/me/blocked/{userId}")
    @Operation(summary = "Block an account: its direct messages to you are never shown to you, it is not told")
    ResponseEntity<Void> block(@AuthenticationPrincipal Jwt jwt, @PathVariable String userId) {
        AccountIds.require(userId, "userId");
        if (directory.findById(userId).isEmpty()) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "account-not-found", "No account has this id");
        }
        commands.sendAndWait(new BlockUser(jwt.getSubject(), userId));
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/api/me/blocked/{userId}")
    @Operation(summary = "Unblock an account (unblocking someone not blocked changes nothing)")
    ResponseEntity<Void> unblock(@AuthenticationPrincipal Jwt jwt, @PathVariable String userId) {
        AccountIds.require(userId, "userId");
        commands.sendAndWait(new UnblockUser(jwt.getSubject(), userId));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/me/blocked")
    @Operation(summary = "The accounts you blocked, oldest block first")
    List<BlockedAccount> blocked(@AuthenticationPrincipal Jwt jwt) {
        return queries.query(new BlockedAccountsQuery(jwt.getSubject()),
                ResponseTypes.multipleInstancesOf(BlockedAccount.class)).join();
    }
}
