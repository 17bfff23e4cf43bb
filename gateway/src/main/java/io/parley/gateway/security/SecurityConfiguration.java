package io.parley.gateway.security;

import io.parley.gateway.web.ProblemResponses;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

import javax.crypto.SecretKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Stateless token security: every request but sign-up, sign-in, health, info, API docs and the web client
 * carries an access token (every other Actuator endpoint needs ADMIN), verified by Spring's OAuth2 resource server against the local key. The principal's name
 * is the account id (the token's subject); roles become {@code ROLE_*} authorities.
 */
@Configuration
@EnableMethodSecurity
class SecurityConfiguration {

    @Bean
    SecretKey jwtSigningKey(SecurityProperties properties, @Value("${chat.data-dir:./data}") Path dataDir) {
        return JwtKey.load(properties.jwtSecret(), dataDir);
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKey jwtSigningKey) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(jwtSigningKey));
    }

    /** Verifies access tokens: for REST (the resource server) and for the STOMP CONNECT frame alike. */
    @Bean
    @Primary
    JwtDecoder jwtDecoder(SecretKey jwtSigningKey, SuspendedAccounts suspended) {
        return decoder(jwtSigningKey, "access", suspended);
    }

    @Bean
    JwtDecoder refreshTokenDecoder(SecretKey jwtSigningKey) {
        return decoder(jwtSigningKey, "refresh", jwt -> OAuth2TokenValidatorResult.success());
    }

    /** {@code account}: a check of the account a token names (access tokens: not suspended). */
    private static JwtDecoder decoder(SecretKey key, String use, OAuth2TokenValidator<Jwt> account) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
        OAuth2TokenValidator<Jwt> tokenUse = jwt -> use.equals(jwt.getClaimAsString(TokenService.TOKEN_USE))
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "Not an " + use + " token", null));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(Duration.ZERO), new JwtIssuerValidator(TokenService.ISSUER), tokenUse,
                account));
        return decoder;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ProblemResponses problems) throws Exception {
        JwtAuthenticationConverter authentication = new JwtAuthenticationConverter();
        authentication.setJwtGrantedAuthoritiesConverter(SecurityConfiguration::authorities);
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        // sign-out is authenticated by the refresh token in its body (TokenService), not an access token
                        .requestMatchers(HttpMethod.POST, "/api/accounts", "/api/auth/token", "/api/auth/refresh",
                                "/api/auth/sign-out", "/api/auth/logout").permitAll()
                        // anonymous: the health status (details only for ADMIN, management.endpoint.health) and info;
                        // metrics and Prometheus tell traffic per endpoint and sign-in failures: ADMIN (issue 15)
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        // the STOMP endpoint authenticates the CONNECT frame, not the HTTP upgrade
                        .requestMatchers("/ws", "/ws/**").permitAll()
                        .requestMatchers("/", "/index.html", "/favicon.ico", "/media-sw.js", "/client/**", "/webjars/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(authentication))
                        .authenticationEntryPoint((req, res, ex) -> problems.write(res, HttpStatus.UNAUTHORIZED,
                                "unauthorized", "A valid access token is required"))
                        .accessDeniedHandler((req, res, ex) -> problems.write(res, HttpStatus.FORBIDDEN,
                                "forbidden", "Your account lacks the role this needs")))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((req, res, e) -> problems.write(res, HttpStatus.UNAUTHORIZED,
                                "unauthorized", "A valid access token is required"))
                        .accessDeniedHandler((req, res, e) -> problems.write(res, HttpStatus.FORBIDDEN,
                                "forbidden", "Your account lacks the role this needs")))
                .build();
    }

    static Collection<GrantedAuthority> authorities(Jwt jwt) {
        List<String> roles = jwt.getClaimAsStringList(TokenService.ROLES);
        return roles == null ? List.of()
                : roles.stream().map(r -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + r)).toList();
    }
}
