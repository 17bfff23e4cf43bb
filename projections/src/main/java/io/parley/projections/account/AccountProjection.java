package io.parley.projections.account;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.AccountEvents.DeviceRegistered;
import io.parley.api.account.AccountEvents.DeviceRemoved;
import io.parley.api.account.AccountEvents.PrivacyChanged;
import io.parley.api.account.AccountEvents.RolesChanged;
import io.parley.api.account.AccountEvents.UserBlocked;
import io.parley.api.account.AccountEvents.UserUnblocked;
import io.parley.api.account.Role;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.Date;
import java.util.List;

/**
 * The {@code accounts} read model: one document per account, by {@code _id} = account id, holding the profile,
 * the last-seen privacy choice, the push devices and the blocked list. Every update is an idempotent
 * {@code $set}/{@code $unset}/{@code $addToSet}/{@code $pull}, so an event applied twice changes nothing.
 */
@Component
@ProcessingGroup(AccountProjection.PROCESSING_GROUP)
public class AccountProjection {

    public static final String PROCESSING_GROUP = "account-views";
    public static final String COLLECTION = "accounts";

    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

    private final MongoCollection<Document> accounts;

    public AccountProjection(MongoDatabase database) {
        this.accounts = database.getCollection(COLLECTION);
    }

    @EventHandler
    void on(AccountRegistered event) {
        accounts.updateOne(Filters.eq("_id", event.accountId()), Updates.combine(
                Updates.set("handle", event.handle()),
                Updates.set("displayName", event.displayName()),
                Updates.set("roles", roleNames(event.roles())),
                Updates.setOnInsert("lastSeen", "EVERYONE"),
                Updates.set("registeredAt", Date.from(event.registeredAt()))), UPSERT);
    }

    @EventHandler
    void on(RolesChanged event) {
        accounts.updateOne(Filters.eq("_id", event.accountId()), Updates.set("roles", roleNames(event.roles())), UPSERT);
    }

    @EventHandler
    void on(PrivacyChanged event) {
        accounts.updateOne(Filters.eq("_id", event.accountId()), Updates.set("lastSeen", event.lastSeen().name()), UPSERT);
    }

    @EventHandler
    void on(DeviceRegistered event) {
        accounts.updateOne(Filters.eq("_id", event.accountId()), Updates.set("devices." + event.deviceId(),
                new Document("platform", event.platform().name())
                        .append("token", event.token())
                        .append("registeredAt", Date.from(event.registeredAt()))), UPSERT);
    }

    @EventHandler
    void on(DeviceRemoved event) {
        accounts.updateOne(Filters.eq("_id", event.accountId()), Updates.unset("devices." + event.deviceId()));
    }

    @EventHandler
    void on(UserBlocked event) {
        accounts.updateOne(Filters.eq("_id", event.accountId()), Updates.addToSet("blocked", event.blockedId()), UPSERT);
    }

    @EventHandler
    void on(UserUnblocked event) {
        accounts.updateOne(Filters.eq("_id", event.accountId()), Updates.pull("blocked", event.blockedId()));
    }

    @ResetHandler
    void reset() {
        accounts.deleteMany(new Document());
    }

    private static List<String> roleNames(java.util.Set<Role> roles) {
        return roles.stream().map(Role::name).sorted().toList();
    }
}
