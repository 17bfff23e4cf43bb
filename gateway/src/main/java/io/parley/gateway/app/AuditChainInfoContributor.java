package io.parley.gateway.app;

import io.parley.projections.audit.AuditChainConfiguration;
import io.parley.projections.audit.ChainLinks;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes the audit chain's head in {@code /actuator/info} (README, "Audit"): anyone may note it down; later, a
 * verified chain ({@code GET /api/audit/verify?position=...}) whose link at that position still has that hash
 * proves nothing up to it changed. The head is a hash and a count, nothing of the events themselves.
 */
@Component
@Conditional(AuditChainConfiguration.JdbcEventStore.class)
class AuditChainInfoContributor implements InfoContributor {

    private final ChainLinks links;

    AuditChainInfoContributor(ChainLinks links) {
        this.links = links;
    }

    @Override
    public void contribute(Info.Builder builder) {
        ChainLinks.Head head = links.head();
        Map<String, Object> chain = new LinkedHashMap<>();
        chain.put("events", head.n());
        chain.put("headPosition", head.n() == 0 ? null : head.position());
        chain.put("head", head.n() == 0 ? null : head.hash());
        builder.withDetail("auditChain", chain);
    }
}
