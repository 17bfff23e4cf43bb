package io.parley.projections.batching;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * A projection that gathers an Axon batch's changes in memory and writes them once, when the batch's last event
 * was handled ({@link EndOfBatchInterceptor}).
 */
@FunctionalInterface
public interface BatchedProjection {

    /** Writes what the batch of this unit of work gathered; a failure must throw (the batch is then retried). */
    void endBatch(UnitOfWork<? extends EventMessage<?>> unitOfWork);
}
