package io.parley.query.device;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.parley.api.account.DevicePlatform;
import io.parley.api.account.DeviceQueries.DeviceView;
import io.parley.api.account.DeviceQueries.DevicesQuery;
import io.parley.projections.account.AccountProjection;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.Date;
import java.util.List;

/** Lists an account's devices from the {@code accounts} read model: one {@code _id} read, devices only. */
@Component
class DeviceQueryHandler {

    private final MongoCollection<Document> accounts;

    DeviceQueryHandler(MongoDatabase database) {
        this.accounts = database.getCollection(AccountProjection.COLLECTION);
    }

    @QueryHandler
    List<DeviceView> handle(DevicesQuery query) {
        Document account = accounts.find(Filters.eq("_id", query.accountId()))
                .projection(Projections.include("devices")).first();
        Document devices = account == null ? null : account.get("devices", Document.class);
        if (devices == null) {
            return List.of();
        }
        return devices.entrySet().stream()
                .filter(e -> e.getValue() instanceof Document)
                .map(e -> toView(e.getKey(), (Document) e.getValue()))
                .sorted(Comparator.comparing(DeviceView::registeredAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(DeviceView::id))
                .toList();
    }

    private static DeviceView toView(String id, Document device) {
        Date registeredAt = device.getDate("registeredAt");
        return new DeviceView(id, DevicePlatform.valueOf(device.getString("platform")), device.getString("token"),
                registeredAt == null ? null : registeredAt.toInstant());
    }
}
