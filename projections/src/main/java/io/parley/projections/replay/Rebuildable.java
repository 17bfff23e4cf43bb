package io.parley.projections.replay;

import com.mongodb.client.MongoDatabase;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;

import java.util.List;
import java.util.Set;

/**
 * A projection that a replay can rebuild beside the live one (README, "Replay"): it builds a second instance of
 * its event handler writing into another database, and says which live collections that instance replaces.
 * Implemented in the projection's own package, so no one else needs to know how it is wired.
 */
public interface Rebuildable {

    /** The live processing group (and processor) the rebuild replaces. */
    String processingGroup();

    /** A fresh handler writing only into {@code target} (and, for search, a fresh index). */
    Rebuild start(MongoDatabase target);

    /** One rebuild in progress: the handler the replay's own processor runs, and how it takes over. */
    interface Rebuild {

        Object eventHandler();

        /** Handler interceptors the live processor has too (e.g. the search projection's batch flush). */
        default List<MessageHandlerInterceptor<? super EventMessage<?>>> interceptors() {
            return List.of();
        }

        /**
         * Live collections that the rebuilt ones replace by name; any of them the rebuild did not create (no event
         * wrote it) is dropped at the swap, so nothing the replay did not derive survives it.
         */
        Set<String> replacedCollections();

        /**
         * Called during the swap, after the collections were renamed and while the live processor is stopped:
         * anything beyond MongoDB collections changes hands here (the search index aliases).
         */
        default void promote() {
        }

        /** Some seconds after the swap, when no reader still uses what was replaced (cached index names). */
        default void retireOld() {
        }

        /** The replay failed or was abandoned: remove what {@link #start} created outside MongoDB. */
        default void abandon() {
        }
    }
}
