package io.parley.projections.replay;

import com.mongodb.client.MongoDatabase;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * The live database seen through a collection-name prefix: a rebuilding projection asks for
 * {@code conversation_summaries} and gets {@code <prefix>conversation_summaries} beside the live one. The swap is
 * then a rename inside one database. (Renames across databases would do as well on a real MongoDB, but the
 * embedded mongo-java-server leaves the index metadata behind in the source database, after which the renamed
 * collection can no longer be dropped: measured, README "Replay".)
 */
final class PrefixedDatabase {

    private PrefixedDatabase() {
    }

    static MongoDatabase of(MongoDatabase database, String prefix) {
        return (MongoDatabase) Proxy.newProxyInstance(MongoDatabase.class.getClassLoader(),
                new Class<?>[]{MongoDatabase.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("getCollection") || name.equals("createCollection")) {
                        args[0] = prefix + args[0];
                    } else if (name.equals("drop") || name.startsWith("list") || name.startsWith("runCommand")
                            || name.startsWith("aggregate") || name.startsWith("watch") || name.equals("createView")) {
                        // whole-database operations would escape the prefix: a projection never needs them
                        throw new UnsupportedOperationException(name + " on a rebuild's view of the database");
                    }
                    try {
                        Object result = method.invoke(database, args);
                        return result instanceof MongoDatabase other && name.startsWith("with")
                                ? of(other, prefix) : result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
