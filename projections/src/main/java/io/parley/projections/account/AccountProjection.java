package io.parley.projections.account;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import io.parley.api.account.AccountEvents.AccountDeleted;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.DeviceRegistered;
import io.parley.api.account.AccountEvents.DeviceRemoved;
import io.parley.api.account.AccountEvents.DisplayNameChanged;
import io.parley.api.account.AccountEvents.PrivacyChanged;
import io.parley.api.account.AccountEvents.RolesChanged;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * The {@code accounts} read model ({@link AccountDocument}, read through {@link AccountViews}). Every update
 * is an idempotent {@code $set}/{@code $unset}/{@code $pull} ({@link AccountCodec}), or a {@code $pull} then
 * {@code $push} of one block entry, so an event applied twice changes nothing.
 */
@Component
@ProcessingGroup(AccountProjection.PROCESSING_GROUP)
public class AccountProjection {

    public static final String PROCESSING_GROUP = "account-views";

    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

    private final MongoCollection<AccountDocument> accounts;

    public AccountProjection(MongoDatabase database) {
        this.accounts = AccountCodec.collection(database);
    }

    private void upsert(String accountId, Bson update) {
        accounts.updateOne(Filters.eq("_id", accountId), update, UPSERT);
    }

    @EventHandler
    void on(AccountRegistered event) {
        upsert(event.accountId(), AccountCodec.registered(event.handle(), event.displayName(), event.roles(),
                event.registeredAt()));
    }

    /** Profiles, member lists and senders' names all read this field: contacts see the new name at once. */
    @EventHandler
    void on(DisplayNameChanged event) {
        upsert(event.accountId(), AccountCodec.displayName(event.displayName()));
    }

    /** Account deletion: handle and display name become {@code [erased]}, push tokens go; ids and blocks stay. */
    @EventHandler
    void on(AccountDeleted event) {
        accounts.updateOne(Filters.eq("_id", event.accountId()), AccountCodec.deleted());
    }

    @EventHandler
    void on(RolesChanged event) {
        upsert(event.accountId(), AccountCodec.roles(event.roles()));
    }

    @EventHandler
    void on(PrivacyChanged event) {
        upsert(event.accountId(), AccountCodec.lastSeen(event.lastSeen()));
    }

    @EventHandler
    void on(DeviceRegistered event) {
        upsert(event.accountId(), AccountCodec.deviceRegistered(event.deviceId(), event.platform(), event.token(),
                event.registeredAt()));
    }

    @EventHandler
    void on(DeviceRemoved event) {
        accounts.updateOne(Filters.eq("_id", event.accountId()), AccountCodec.deviceRemoved(event.deviceId()));
    }

    @EventHandler
    void on(UserBlocked event) {
        // pull then push: a redelivered block replaces its entry rather than doubling it
        upsert(event.accountId(), AccountCodec.unblocked(event.blockedId()));
        upsert(event.accountId(), AccountCodec.blocked(event.blockedId(), event.blockedAt()));
    }

    @EventHandler
    void on(UserUnblocked event) {
        accounts.updateOne(Filters.eq("_id", event.accountId()), AccountCodec.unblocked(event.blockedId()));
    }

    @ResetHandler
    void reset() {
        accounts.deleteMany(new Document());
    }
}
