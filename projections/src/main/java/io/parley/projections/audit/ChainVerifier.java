package io.parley.projections.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the event store in global order, one chunk at a time, beside the audit chain's links, and recomputes each
 * link from the row as it is stored now. The first position where they disagree is reported:
 * <ul>
 * <li>a row whose bytes (payload, metadata, any column) or position changed: its link no longer matches
 *     ({@code altered});</li>
 * <li>a row gone: the link after it still names it as {@code prev} ({@code removed}; the head's own row is
 *     checked at the end);</li>
 * <li>a row the chain has passed without ever receiving it: no link though the processor's token covers it
 *     ({@code inserted});</li>
 * <li>links themselves rewritten: a link's {@code prev} that is missing or is not the link before it in the chain
 *     ({@code chain-broken}). Rewriting every later link to match would change the head, which the log and
 *     {@code /actuator/info} published before.</li>
 * </ul>
 * Events the chain has not reached yet are counted as {@code pending}, not failed. Memory: one chunk of rows and
 * their links.
 */
public final class ChainVerifier {

    private static final Logger log = LoggerFactory.getLogger(ChainVerifier.class);

    /**
     * @param events              events verified (rows whose links were recomputed and matched)
     * @param head                the head link's hash when the walk began (null while the chain is empty)
     * @param headPosition        its position
     * @param firstBrokenPosition null when verified
     * @param problem             null when verified, else altered, removed, inserted or chain-broken
     * @param pending             events in the store the chain had not reached yet
     */
    public record Verification(boolean verified, long events, String head, Long headPosition,
                               Long firstBrokenPosition, String problem, long pending) {
    }

    private final StoredEvents store;
    private final ChainLinks links;
    private final int chunk;

    public ChainVerifier(StoredEvents store, ChainLinks links, AuditChainProperties properties) {
        this.store = store;
        this.links = links;
        this.chunk = properties.verifyChunk();
    }

    public Verification verify() {
        ChainLinks.Head head = links.head();
        Verification result = walk(head);
        log.info("Audit chain verified={} events={} pending={} head={} at position {}{}", result.verified(),
                result.events(), result.pending(), result.head(), result.headPosition(),
                result.verified() ? "" : ", first broken position " + result.firstBrokenPosition() + " ("
                        + result.problem() + ")");
        return result;
    }

    private Verification walk(ChainLinks.Head head) {
        String headHash = head.n() == 0 ? null : head.hash();
        Long headPosition = head.n() == 0 ? null : head.position();
        long verified = 0;
        long pending = 0;
        long last = -1;
        boolean sawHead = head.n() == 0;
        ChainLinks.Link previousInWalk = null;
        while (true) {
            List<StoredEvent> rows = store.after(last, chunk, StoredEvents.Criteria.ALL);
            if (rows.isEmpty()) {
                break;
            }
            List<Long> wanted = new ArrayList<>(rows.size() * 2);
            rows.forEach(r -> wanted.add(r.position()));
            Map<Long, ChainLinks.Link> chunkLinks = new HashMap<>(links.byPosition(wanted));
            // predecessors outside this chunk (the one before it, gaps filled late) in one more lookup
            List<Long> prevs = new ArrayList<>();
            for (ChainLinks.Link l : chunkLinks.values()) {
                if (l.prev() >= 0 && !chunkLinks.containsKey(l.prev())) {
                    prevs.add(l.prev());
                }
            }
            chunkLinks.putAll(links.byPosition(prevs));
            for (StoredEvent row : rows) {
                long p = row.position();
                ChainLinks.Link link = chunkLinks.get(p);
                if (link == null) {
                    if (head.awaits(p)) {
                        pending++;
                        last = p;
                        continue;
                    }
                    return broken(headHash, headPosition, verified, pending, p, "inserted");
                }
                byte[] previousHash;
                if (link.prev() < 0) {
                    if (link.n() != 1) {
                        return broken(headHash, headPosition, verified, pending, p, "chain-broken");
                    }
                    previousHash = ChainHash.GENESIS;
                } else {
                    ChainLinks.Link prev = chunkLinks.get(link.prev());
                    if (prev == null) {
                        return broken(headHash, headPosition, verified, pending, link.prev(), "chain-broken");
                    }
                    if (prev.n() + 1 != link.n()) {
                        return broken(headHash, headPosition, verified, pending, p, "chain-broken");
                    }
                    previousHash = ChainHash.parse(prev.hash());
                    // the row before this one in the chain must still be stored
                    boolean prevSeen = previousInWalk != null && previousInWalk.position() == link.prev();
                    if (!prevSeen && !store.exists(link.prev())) {
                        return broken(headHash, headPosition, verified, pending, link.prev(), "removed");
                    }
                }
                if (!Arrays.equals(ChainHash.link(previousHash, row), ChainHash.parse(link.hash()))) {
                    return broken(headHash, headPosition, verified, pending, p, "altered");
                }
                verified++;
                sawHead |= p == head.position();
                previousInWalk = link;
                last = p;
            }
        }
        if (!sawHead) {
            return broken(headHash, headPosition, verified, pending, head.position(), "removed");
        }
        return new Verification(true, verified, headHash, headPosition, null, null, pending);
    }

    private static Verification broken(String head, Long headPosition, long verified, long pending, long position,
                                       String problem) {
        return new Verification(false, verified, head, headPosition, position, problem, pending);
    }
}
