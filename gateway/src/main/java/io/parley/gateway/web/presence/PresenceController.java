package io.parley.gateway.web.presence;

import io.parley.gateway.web.Problems;
import io.parley.query.presence.PresenceService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;

@RestController
@Tag(name = "presence")
class PresenceController {
    private final PresenceService presence;

    PresenceController(PresenceService presence) {
        this.presence = presence;
    }

    @GetMapping("/api/users/{id}/presence")
    @Operation(summary = "Online status and last seen ({userId, online, lastSeenAt}); lastSeenAt is null where privacy hides it")
    PresenceService.PresenceFrame presence(@PathVariable String id, Principal me) {
        return presence.presenceOf(id, me.getName())
                .orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "not-found", "No such account"));
    }
}
