package io.parley.gateway.security;

import io.parley.api.account.AccountCommands.RegisterAccount;
import io.parley.api.account.Role;
import io.parley.command.account.AccountDirectory;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import java.util.EnumSet;
import java.util.UUID;

/** Creates the first ADMIN from configuration (chat.security.admin-handle/admin-password) when it is missing. */
@Component
class AdminBootstrap {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final SecurityProperties properties;
    private final AccountDirectory directory;
    private final CommandGateway commands;
    private final PasswordEncoder passwords;

    AdminBootstrap(SecurityProperties properties, AccountDirectory directory, CommandGateway commands,
                   PasswordEncoder passwords) {
        this.properties = properties;
        this.directory = directory;
        this.commands = commands;
        this.passwords = passwords;
    }

    @EventListener(ApplicationStartedEvent.class)
    void createFirstAdmin() {
        String password = properties.adminPassword();
        if (password == null || password.isBlank() || directory.findByHandle(properties.adminHandle()).isPresent()) {
            return;
        }
        try {
            commands.sendAndWait(new RegisterAccount(UUID.randomUUID().toString(), properties.adminHandle(),
                    "Administrator", passwords.encode(password), EnumSet.of(Role.USER, Role.ADMIN)));
            log.info("Created the first administrator account '{}'", properties.adminHandle());
        } catch (io.parley.api.common.CommandRejected rejected) {
            // several nodes starting together: another one created it first (the handle's unique key decided)
            if (directory.findByHandle(properties.adminHandle()).isEmpty()) {
                throw rejected;
            }
            log.info("The administrator account '{}' was created by another node", properties.adminHandle());
        }
    }
}
