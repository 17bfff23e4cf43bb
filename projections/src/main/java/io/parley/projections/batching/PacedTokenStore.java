package io.parley.projections.batching;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToInitializeTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToRetrieveIdentifierException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the processors that need no millisecond freshness form batches at light load (docs/design.md, section 13).
 * A tracking processor hands its handlers whatever the store holds: at 200 messages/s that is one event per batch,
 * and each batch pays a unit of work, its view writes (a MongoDB bulk write, an Elasticsearch {@code _bulk}) and a
 * token write, also for events the processor ignores. After a paced processor stored a token that advanced by
 * fewer than {@link #CATCHING_UP} events (it is keeping up), its thread waits for its pace before it reads again,
 * so the next batch holds what arrived meanwhile. A processor that is catching up (bigger advances) is never held
 * back. The token write is the one call every batch of a tracking processor makes, handled events or not; the
 * wait happens after it, so nothing waits with unstored work.
 */
public final class PacedTokenStore implements TokenStore {

    /** An advance at least this big means the processor is behind: no pause. */
    static final long CATCHING_UP = 100;

    private final TokenStore delegate;
    private final Map<String, Duration> paces;
    private final Map<String, Long> lastPositions = new ConcurrentHashMap<>();

    public PacedTokenStore(TokenStore delegate, Map<String, Duration> paces) {
        this.delegate = delegate;
        this.paces = Map.copyOf(paces);
    }

    /** The store that holds the tokens. */
    public TokenStore delegate() {
        return delegate;
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) throws UnableToClaimTokenException {
        delegate.storeToken(token, processorName, segment);
        Duration pace = paces.get(processorName);
        if (pace == null || pace.isZero() || token == null || token.position().isEmpty()) {
            return;
        }
        long position = token.position().getAsLong();
        Long previous = lastPositions.put(processorName + "/" + segment, position);
        if (previous != null && position - previous < CATCHING_UP) {
            try {
                Thread.sleep(pace.toMillis());
            } catch (InterruptedException e) {
                // the processor is shutting down: let it see the interrupt
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) throws UnableToClaimTokenException {
        delegate.initializeTokenSegments(processorName, segmentCount);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken)
            throws UnableToClaimTokenException {
        delegate.initializeTokenSegments(processorName, segmentCount, initialToken);
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) throws UnableToClaimTokenException {
        return delegate.fetchToken(processorName, segment);
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) throws UnableToClaimTokenException {
        return delegate.fetchToken(processorName, segment);
    }

    @Override
    public void extendClaim(String processorName, int segment) throws UnableToClaimTokenException {
        delegate.extendClaim(processorName, segment);
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        delegate.releaseClaim(processorName, segment);
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment)
            throws UnableToInitializeTokenException {
        delegate.initializeSegment(token, processorName, segment);
    }

    @Override
    public void deleteToken(String processorName, int segment) throws UnableToClaimTokenException {
        delegate.deleteToken(processorName, segment);
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return delegate.requiresExplicitSegmentInitialization();
    }

    @Override
    public int[] fetchSegments(String processorName) {
        return delegate.fetchSegments(processorName);
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        return delegate.fetchAvailableSegments(processorName);
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() throws UnableToRetrieveIdentifierException {
        return delegate.retrieveStorageIdentifier();
    }
}
