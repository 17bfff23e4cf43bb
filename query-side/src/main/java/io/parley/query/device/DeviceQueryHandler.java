package io.parley.query.device;

import io.parley.api.account.DeviceQueries.DeviceView;
import io.parley.api.account.DeviceQueries.DevicesQuery;
import io.parley.projections.account.AccountDocument;
import io.parley.projections.account.AccountViews;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Lists an account's devices from the {@code accounts} read model: one {@code _id} read. */
@Component
class DeviceQueryHandler {

    private final AccountViews accounts;

    DeviceQueryHandler(AccountViews accounts) {
        this.accounts = accounts;
    }

    @QueryHandler
    List<DeviceView> handle(DevicesQuery query) {
        Map<String, AccountDocument.Device> devices = accounts.account(query.accountId())
                .map(AccountDocument::devices).orElse(Map.of());
        return devices.entrySet().stream()
                .map(e -> new DeviceView(e.getKey(), e.getValue().platform(), e.getValue().token(),
                        e.getValue().registeredAt()))
                .sorted(Comparator.comparing(DeviceView::registeredAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(DeviceView::id))
                .toList();
    }
}
