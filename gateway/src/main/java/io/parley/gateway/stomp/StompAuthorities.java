package io.parley.gateway.stomp;

import io.parley.gateway.security.TokenService;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.Collection;
import java.util.List;

/** The token's {@code roles} claim as {@code ROLE_*} authorities, as the REST side maps them. */
final class StompAuthorities {
    private StompAuthorities() {
    }

    static Collection<GrantedAuthority> of(Jwt jwt) {
        List<String> roles = jwt.getClaimAsStringList(TokenService.ROLES);
        return roles == null ? List.of()
                : roles.stream().map(r -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + r)).toList();
    }
}
