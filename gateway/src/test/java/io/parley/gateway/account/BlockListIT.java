package io.parley.gateway.account;

import io.parley.api.account.AccountCommands.BlockUser;
import io.parley.api.account.AccountCommands.UnblockUser;
import io.parley.command.conversation.BlockList;
import io.parley.gateway.support.Api;
import io.parley.gateway.support.IntegrationTest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Conversation aggregate's block check reads the write side's {@code blocks} table, written by the Account
 * aggregate with its block events; a deployment older than the table gets it filled from those events.
 */
class BlockListIT extends IntegrationTest {

    @Autowired
    private CommandGateway commands;
    @Autowired
    private BlockList blockList;
    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aBlockIsInForceFromItsCommitAndAnUnblockLiftsIt() {
        Api.User alice = api.signUp("blocker");
        Api.User bob = api.signUp("blocked");

        commands.sendAndWait(new BlockUser(alice.id(), bob.id()));
        assertThat(blockList.blocks(alice.id(), bob.id())).isTrue();
        assertThat(blockList.blocks(bob.id(), alice.id())).isFalse();
        // the blocked side is not told: the chat opens, the blocker cannot write into it until the unblock
        Api.Response opened = api.post("/api/conversations", Map.of("type", "DIRECT", "peerId", alice.id()),
                bob.accessToken());
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        Api.Response refused = api.post("/api/conversations/" + opened.json().get("id").asText() + "/messages",
                Map.of("clientMessageId", "c1", "text", "hi"), alice.accessToken());
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.isProblem()).isTrue();

        commands.sendAndWait(new UnblockUser(alice.id(), bob.id()));
        assertThat(blockList.blocks(alice.id(), bob.id())).isFalse();
        Api.Response sent = api.post("/api/conversations/" + opened.json().get("id").asText() + "/messages",
                Map.of("clientMessageId", "c2", "text", "hi"), alice.accessToken());
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    }

    @Test
    void aMissingTableIsCreatedAndFilledFromTheBlockEventsInOrder() {
        Api.User alice = api.signUp("blocker");
        Api.User bob = api.signUp("blocked");
        Api.User carol = api.signUp("blocked");
        commands.sendAndWait(new BlockUser(alice.id(), bob.id()));
        commands.sendAndWait(new BlockUser(alice.id(), carol.id()));
        commands.sendAndWait(new UnblockUser(alice.id(), carol.id()));

        jdbc.execute("DROP TABLE blocks");
        ((SmartInitializingSingleton) blockList).afterSingletonsInstantiated();

        assertThat(blockList.blocks(alice.id(), bob.id())).isTrue();
        assertThat(blockList.blocks(alice.id(), carol.id())).isFalse();
        // the second start finds the table and leaves it alone
        ((SmartInitializingSingleton) blockList).afterSingletonsInstantiated();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM blocks WHERE blocker_id = ?", Long.class, alice.id()))
                .isEqualTo(1);
    }
}
