package io.parley.bench.baseline;

import io.parley.bench.baseline.BaselineStore.Account;
import io.parley.bench.baseline.BaselineStore.Conversation;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** The REST calls the generator makes, with the platform's JSON shapes (the README's REST section). */
@RestController
class BaselineRest {

    private final BaselineStore store;

    BaselineRest(BaselineStore store) {
        this.store = store;
    }

    record SignUp(String handle, String displayName, String password) {
    }

    record SignIn(String handle, String password) {
    }

    record NewConversation(String type, String peerId, String title, List<String> memberIds) {
    }

    @PostMapping("/api/accounts")
    ResponseEntity<Map<String, Object>> signUp(@RequestBody SignUp req) {
        Account a = new Account(UUID.randomUUID().toString(), req.handle(), req.displayName());
        if (store.byHandle.putIfAbsent(req.handle(), a) != null) {
            return ResponseEntity.status(HttpStatus.CONFLICT).build();
        }
        store.byToken.put(BaselineStore.token(a), a);
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", a.id(), "handle", a.handle(), "displayName", a.displayName()));
    }

    @PostMapping("/api/auth/token")
    ResponseEntity<Map<String, Object>> token(@RequestBody SignIn req) {
        Account a = store.byHandle.get(req.handle());
        if (a == null) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        String t = BaselineStore.token(a);
        return ResponseEntity.ok(Map.of("accessToken", t, "refreshToken", t, "tokenType", "Bearer", "expiresIn", 900));
    }

    @PostMapping("/api/conversations")
    ResponseEntity<Map<String, Object>> open(@RequestHeader(value = "Authorization", required = false) String auth,
                                             @RequestBody NewConversation req) {
        Account me = store.byBearer(auth);
        if (me == null) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        Conversation c;
        if ("DIRECT".equals(req.type())) {
            String a = me.id().compareTo(req.peerId()) < 0 ? me.id() : req.peerId();
            String b = a.equals(me.id()) ? req.peerId() : me.id();
            String id = UUID.nameUUIDFromBytes((a + b).getBytes(StandardCharsets.UTF_8)).toString();
            c = store.conversations.computeIfAbsent(id, x -> new Conversation(x, "DIRECT", null, List.of(a, b), new AtomicLong()));
        } else {
            Set<String> members = new LinkedHashSet<>();
            members.add(me.id());
            members.addAll(req.memberIds());
            String id = UUID.randomUUID().toString();
            c = new Conversation(id, "GROUP", req.title(), List.copyOf(members), new AtomicLong());
            store.conversations.put(id, c);
        }
        List<Map<String, String>> ms = new ArrayList<>();
        for (String m : c.members()) {
            ms.add(Map.of("userId", m, "role", "MEMBER"));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", c.id(), "type", c.type(),
                "title", c.title() == null ? "" : c.title(), "members", ms));
    }
}
