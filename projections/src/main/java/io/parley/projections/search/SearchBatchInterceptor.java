package io.parley.projections.search;

import io.parley.projections.batching.EndOfBatchInterceptor;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Writes the {@code message-search} batch after the last event of an Axon batch, before the processor stores
 * its token ({@link EndOfBatchInterceptor}; docs/design.md, section 12), telling the projection whether the
 * batch was part of a replay (a finished rebuild is promoted only outside one).
 */
public final class SearchBatchInterceptor implements MessageHandlerInterceptor<EventMessage<?>> {

    private final EndOfBatchInterceptor endOfBatch;

    public SearchBatchInterceptor(MessageSearchProjection projection) {
        this.endOfBatch = new EndOfBatchInterceptor(unitOfWork ->
                projection.afterBatch(unitOfWork, ReplayToken.isReplay(unitOfWork.getMessage())));
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        return endOfBatch.handle(unitOfWork, interceptorChain);
    }
}
