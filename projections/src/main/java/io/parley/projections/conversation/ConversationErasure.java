package io.parley.projections.conversation;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.parley.api.privacy.PersonalDataCipher;
import org.bson.Document;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Account deletion in the conversation views (README, Account deletion): wherever an entry or preview names the
 * account as its {@code senderId} (its messages, their frozen as-of copies, its edits, inbox previews, a removed
 * member's last preview), the text and the file name become {@code [erased]}; ids, seqs, times, counts and order
 * stay. Works on the stored documents, after the batch wrote its own changes, so a message of the account written by
 * the same batch is erased too. Idempotent.
 */
final class ConversationErasure {

    private ConversationErasure() {
    }

    static void erase(ConversationCollections collections, String accountId) {
        MongoCollection<Document> summaries = collections.summaries().withDocumentClass(Document.class);
        MongoCollection<Document> buckets = collections.buckets().withDocumentClass(Document.class);
        MongoCollection<Document> users = collections.users().withDocumentClass(Document.class);
        List<String> conversations = new ArrayList<>();
        Set<String> people = new LinkedHashSet<>(List.of(accountId));
        for (Document summary : summaries.find(Filters.or(Filters.exists("members." + accountId),
                Filters.exists("former." + accountId)))) {
            conversations.add(summary.getString("_id"));
            collectKeys(summary.get("members"), people);
            collectKeys(summary.get("former"), people);
            rewrite(summaries, summary, accountId);
        }
        if (conversations.isEmpty()) {
            return;
        }
        for (Document bucket : buckets.find(Filters.and(Filters.in("cid", conversations),
                Filters.eq("entries.senderId", accountId)))) {
            rewrite(buckets, bucket, accountId);
        }
        for (Document user : users.find(Filters.in("_id", people))) {
            rewrite(users, user, accountId);
        }
    }

    private static void collectKeys(Object map, Set<String> into) {
        if (map instanceof Document d) {
            into.addAll(d.keySet());
        }
    }

    private static void rewrite(MongoCollection<Document> collection, Document doc, String accountId) {
        if (erase(doc, accountId)) {
            collection.replaceOne(Filters.eq("_id", doc.get("_id")), doc);
        }
    }

    /** Erases in place; true when anything changed. */
    static boolean erase(Object node, String accountId) {
        boolean changed = false;
        if (node instanceof Document doc) {
            if (accountId.equals(doc.get("senderId"))) {
                changed |= eraseField(doc, "text");
                if (doc.get("media") instanceof Document media) {
                    changed |= eraseField(media, "fileName");
                }
            }
            for (Map.Entry<String, Object> field : doc.entrySet()) {
                changed |= erase(field.getValue(), accountId);
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                changed |= erase(item, accountId);
            }
        }
        return changed;
    }

    private static boolean eraseField(Document doc, String field) {
        Object value = doc.get(field);
        // an empty text (a file without caption, a deleted message) says nothing and stays as it is
        if (value instanceof String text && !text.isEmpty() && !PersonalDataCipher.ERASED.equals(text)) {
            doc.put(field, PersonalDataCipher.ERASED);
            return true;
        }
        return false;
    }
}
