package io.parley.gateway.web.device;

import io.parley.api.account.AccountCommands.RegisterDevice;
import io.parley.api.account.AccountCommands.RemoveDevice;
import io.parley.api.account.DevicePlatform;
import io.parley.api.account.DeviceQueries.DeviceView;
import io.parley.api.account.DeviceQueries.DevicesQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * Push devices of the signed-in account. Registration and removal are commands on the Account aggregate
 * (it refuses duplicates and caps the count); the list comes from the {@code accounts} read model.
 */
@RestController
@Tag(name = "devices")
class DeviceController {

    /** The USER reason tells the aggregate the owner removed it, as opposed to the push service pruning it. */
    static final String REMOVED_BY_USER = "USER";

    private final CommandGateway commands;
    private final QueryGateway queries;

    DeviceController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record Registration(@NotNull DevicePlatform platform, @NotBlank @Size(max = 4096) String token) {
    }

    record Registered(String id) {
    }

    @PostMapping("/api/devices")
    @Operation(summary = "Register this device's push token (platform ANDROID, IOS or WEB)")
    ResponseEntity<Registered> register(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody Registration request) {
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new RegisterDevice(jwt.getSubject(), id, request.platform(), request.token().strip()));
        return ResponseEntity.created(URI.create("/api/devices/" + id)).body(new Registered(id));
    }

    @GetMapping("/api/devices")
    @Operation(summary = "My registered devices")
    List<DeviceView> list(@AuthenticationPrincipal Jwt jwt) {
        return queries.query(new DevicesQuery(jwt.getSubject()), ResponseTypes.multipleInstancesOf(DeviceView.class))
                .join();
    }

    @DeleteMapping("/api/devices/{id}")
    @Operation(summary = "Unregister one of my devices: it gets no more pushes")
    ResponseEntity<Void> remove(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        commands.sendAndWait(new RemoveDevice(jwt.getSubject(), id.toString(), REMOVED_BY_USER));
        return ResponseEntity.noContent().build();
    }
}
