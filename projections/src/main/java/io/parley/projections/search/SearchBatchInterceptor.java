package io.parley.projections.search;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Writes the {@code message-search} batch right after the last event of an Axon batch was handled, still inside
 * the unit of work and before the processor stores its token (which it does in the prepare-commit phase, see
 * {@code MessageSearchConfiguration}). A write that fails throws here: the batch rolls back, the token stays,
 * the processor retries the batch. Flushing in a prepare-commit callback of our own would run after the token
 * was stored, and a failed write would then lose events.
 */
public final class SearchBatchInterceptor implements MessageHandlerInterceptor<EventMessage<?>> {

    private final MessageSearchProjection projection;

    public SearchBatchInterceptor(MessageSearchProjection projection) {
        this.projection = projection;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        Object result = interceptorChain.proceed();
        if (!(unitOfWork instanceof BatchingUnitOfWork<?> batching) || batching.isLastMessage()) {
            projection.afterBatch(unitOfWork, ReplayToken.isReplay(unitOfWork.getMessage()));
        }
        return result;
    }
}
