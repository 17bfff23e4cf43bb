package io.parley.projections.push;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outbox's two collections: {@code push-outbox}, one {@link OutboxSlot} per conversation and device, and
 * {@code push-schedule}, whose one document ({@code _id} "due") lists the slots with something waiting, so a restart
 * finds them with one {@code _id} read and an {@code $in}, never a scan. Used from the outbox thread only.
 */
final class OutboxStore {

    static final String OUTBOX = "push-outbox";
    static final String SCHEDULE = "push-schedule";
    private static final String DUE = "due";
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private final MongoCollection<Document> outbox;
    private final MongoCollection<Document> schedule;

    OutboxStore(MongoDatabase database) {
        this.outbox = database.getCollection(OUTBOX);
        this.schedule = database.getCollection(SCHEDULE);
    }

    static String key(String conversationId, String deviceId) {
        return conversationId + ":" + deviceId;
    }

    /** The slots stored under these keys; absent keys are absent from the answer. */
    Map<String, OutboxSlot> load(List<String> keys) {
        Map<String, OutboxSlot> slots = new HashMap<>();
        if (!keys.isEmpty()) {
            outbox.find(Filters.in("_id", keys)).forEach(doc -> slots.put(doc.getString("_id"), OutboxSlot.of(doc)));
        }
        return slots;
    }

    void save(OutboxSlot slot) {
        outbox.replaceOne(Filters.eq("_id", slot.id), slot.toDocument(), UPSERT);
    }

    /** Replaces {@code saved} and deletes the {@code deleted} keys in one bulk write. */
    void write(Collection<OutboxSlot> saved, Collection<String> deleted) {
        List<WriteModel<Document>> writes = new ArrayList<>();
        saved.forEach(slot -> writes.add(new ReplaceOneModel<>(Filters.eq("_id", slot.id), slot.toDocument(), UPSERT)));
        deleted.forEach(key -> writes.add(new DeleteOneModel<>(Filters.eq("_id", key))));
        if (!writes.isEmpty()) {
            outbox.bulkWrite(writes);
        }
    }

    /** The keys listed as waiting. */
    List<String> dueKeys() {
        Document due = schedule.find(Filters.eq("_id", DUE)).first();
        return due == null ? List.of() : due.getList("keys", String.class, List.of());
    }

    /** Lists {@code waiting} as waiting and takes the {@code done} keys that are not also waiting off the list. */
    void updateDue(Set<String> waiting, Set<String> done) {
        Set<String> finished = new LinkedHashSet<>(done);
        finished.removeAll(waiting);
        if (!waiting.isEmpty()) {
            schedule.updateOne(Filters.eq("_id", DUE), Updates.addEachToSet("keys", new ArrayList<>(waiting)),
                    new UpdateOptions().upsert(true));
        }
        if (!finished.isEmpty()) {
            schedule.updateOne(Filters.eq("_id", DUE), Updates.pullAll("keys", new ArrayList<>(finished)));
        }
    }

    void clear() {
        outbox.deleteMany(new Document());
        schedule.deleteMany(new Document());
    }
}
