package io.parley.bench.baseline;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Accounts, tokens and conversations, in memory only. */
@Component
class BaselineStore {

    record Account(String id, String handle, String displayName) {
    }

    record Conversation(String id, String type, String title, List<String> members, AtomicLong seq) {
    }

    final Map<String, Account> byHandle = new ConcurrentHashMap<>();
    final Map<String, Account> byToken = new ConcurrentHashMap<>();
    final Map<String, Conversation> conversations = new ConcurrentHashMap<>();

    static String token(Account a) {
        return "baseline." + a.id();
    }

    Account byBearer(String header) {
        if (header == null) {
            return null;
        }
        String t = header.startsWith("Bearer ") ? header.substring(7).trim() : header.trim();
        return byToken.get(t);
    }
}
