package io.parley.command.privacy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Crypto-shredding ({@code chat.privacy.*}, README, Account deletion).
 *
 * @param masterKey         the master key (base64 of 32 random bytes) that wraps every account's data key; every
 *                          node of a deployment must be given the same one
 * @param generateMasterKey when no master key is configured: generate one into
 *                          {@code <chat.data-dir>/privacy/master-key} on first start and read it from there after
 *                          (the embedded default); off, a missing master key stops the start (the distributed profile)
 * @param keyCacheSize      data keys kept unwrapped in memory per node
 * @param keyCacheTtl       how long a node trusts a cached key: the bound on how long a node that missed the
 *                          deletion's event could still decrypt (every node also evicts on {@code AccountDeleted})
 */
@ConfigurationProperties("chat.privacy")
public record PrivacyProperties(String masterKey,
                                @DefaultValue("false") boolean generateMasterKey,
                                @DefaultValue("100000") long keyCacheSize,
                                @DefaultValue("5m") Duration keyCacheTtl) {
}
