package io.parley.projections.batching;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Writes a {@link BatchedProjection}'s batch right after the last event of an Axon batch was handled: still in
 * the processing phase of the unit of work, so before the tracking processor stores its token. The processor
 * registers that store as the first prepare-commit callback of the batch (at its first event), so a projection
 * writing in a prepare-commit callback of its own writes after the token is stored: a node killed in between,
 * or a write that fails, would then lose the batch for good (docs/design.md, section 12).
 * Here a failed write throws, the batch rolls back with its token unstored, and the processor retries it.
 */
public final class EndOfBatchInterceptor implements MessageHandlerInterceptor<EventMessage<?>> {

    private final BatchedProjection projection;

    public EndOfBatchInterceptor(BatchedProjection projection) {
        this.projection = projection;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        Object result = interceptorChain.proceed();
        if (!(unitOfWork instanceof BatchingUnitOfWork<?> batching) || batching.isLastMessage()) {
            projection.endBatch(unitOfWork);
        }
        return result;
    }
}
