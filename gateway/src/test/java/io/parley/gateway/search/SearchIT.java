package io.parley.gateway.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.conversation.ConversationEvents.MemberAdded;
import io.parley.api.conversation.ConversationEvents.MemberRemoved;
import io.parley.api.conversation.ConversationEvents.MessageDeleted;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.gateway.support.Api.Response;
import io.parley.gateway.support.Api.User;
import io.parley.gateway.support.IntegrationTest;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Search against the real Elasticsearch node of the embedded stack, fed by the real message-search processor. */
class SearchIT extends IntegrationTest {

    @Autowired
    EventGateway eventGateway;

    SearchEvents events;
    /** A word no other test (or run) uses, so hits can be counted exactly. */
    String word;

    @BeforeEach
    void setUp() {
        events = new SearchEvents(eventGateway);
        word = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Test
    void findsOwnMessagesByWordSenderAndDateButNeverOthers() {
        User alice = api.signUp("alice");
        User bob = api.signUp("bob");
        User carol = api.signUp("carol");
        SearchEvents.Conversation ours = events.group(alice.id(), alice.id(), bob.id());
        SearchEvents.Conversation theirs = events.group(carol.id(), carol.id());
        Instant t0 = Instant.parse("2024-03-01T10:00:00Z");
        long bobs = ours.send(bob.id(), "the quick brown fox " + word, t0);
        long alices = ours.send(alice.id(), "a lazy dog also " + word, t0.plus(Duration.ofHours(2)));
        theirs.send(carol.id(), "carol's secret " + word, t0.plus(Duration.ofHours(1)));

        JsonNode all = awaitHits(alice, "q=" + word + "&order=newest", hits -> hits.size() == 2);
        assertThat(seqs(all)).containsExactly(ours.id + ":" + alices, ours.id + ":" + bobs);
        assertThat(all.get(0).get("highlight").asText()).contains("<em>" + word + "</em>");
        assertThat(all.get(0).get("senderId").asText()).isEqualTo(alice.id());
        assertThat(all.get(0).get("sentAt").asText()).isEqualTo(t0.plus(Duration.ofHours(2)).toString());

        assertThat(seqs(search(alice, "q=" + word + "&sender=" + bob.id()))).containsExactly(ours.id + ":" + bobs);
        assertThat(seqs(search(alice, "q=quick+" + word))).containsExactly(ours.id + ":" + bobs);
        assertThat(seqs(search(alice, "q=" + word + "&from=" + t0.plus(Duration.ofHours(1)) + "&to="
                + t0.plus(Duration.ofHours(3))))).containsExactly(ours.id + ":" + alices);
        assertThat(seqs(search(alice, "q=" + word + "&conversation=" + theirs.id))).isEmpty();

        JsonNode carols = awaitHits(carol, "q=" + word, hits -> hits.size() == 1);
        assertThat(carols.get(0).get("conversationId").asText()).isEqualTo(theirs.id);
        User stranger = api.signUp("dave");
        assertThat(search(stranger, "q=" + word)).isEmpty();
    }

    @Test
    void deletedMessageDisappearsAndEditedIsFoundByItsNewTextOnly() {
        User alice = api.signUp("alice");
        SearchEvents.Conversation c = events.group(alice.id(), alice.id());
        String oldWord = word + "old";
        String newWord = word + "new";
        long edited = c.send(alice.id(), "first draft " + oldWord, Instant.now());
        long deleted = c.send(alice.id(), "regrettable " + word, Instant.now());
        awaitHits(alice, "q=" + oldWord, hits -> hits.size() == 1);
        awaitHits(alice, "q=" + word, hits -> hits.size() == 1);

        events.publish(new MessageEdited(c.id, c.nextSeq(), edited, alice.id(), "final text " + newWord, Instant.now()),
                new MessageDeleted(c.id, c.nextSeq(), deleted, alice.id(), Instant.now()));

        JsonNode found = awaitHits(alice, "q=" + newWord, hits -> hits.size() == 1);
        assertThat(found.get(0).get("seq").asLong()).isEqualTo(edited);
        assertThat(found.get(0).get("text").asText()).isEqualTo("final text " + newWord);
        awaitHits(alice, "q=" + oldWord, JsonNode::isEmpty);
        awaitHits(alice, "q=" + word, JsonNode::isEmpty);
    }

    @Test
    void removedMemberFindsOnlyWhatCameBeforeTheRemovalAndNewMemberOnlyAfterJoining() {
        User alice = api.signUp("alice");
        User bob = api.signUp("bob");
        User erin = api.signUp("erin");
        SearchEvents.Conversation c = events.group(alice.id(), alice.id(), bob.id());
        long before = c.send(alice.id(), "before " + word, Instant.now());
        events.publish(new MemberRemoved(c.id, c.nextSeq(), bob.id(), alice.id(), Instant.now()),
                new MemberAdded(c.id, c.nextSeq(), erin.id(), alice.id(), Instant.now()));
        long after = c.send(alice.id(), "after " + word, Instant.now());

        awaitHits(alice, "q=" + word, hits -> hits.size() == 2);
        JsonNode bobs = awaitHits(bob, "q=" + word, hits -> hits.size() == 1);
        assertThat(bobs.get(0).get("seq").asLong()).isEqualTo(before);
        JsonNode erins = awaitHits(erin, "q=" + word, hits -> hits.size() == 1);
        assertThat(erins.get(0).get("seq").asLong()).isEqualTo(after);
    }

    @Test
    void pagesWithACursorWithoutGapsOrDuplicates() {
        User alice = api.signUp("alice");
        SearchEvents.Conversation c = events.group(alice.id(), alice.id());
        Instant t0 = Instant.parse("2024-05-01T00:00:00Z");
        for (int i = 0; i < 7; i++) {
            c.send(alice.id(), "page " + word + " " + i, t0.plusSeconds(i));
        }
        awaitHits(alice, "q=" + word + "&size=50", hits -> hits.size() == 7);
        for (String order : List.of("newest", "relevance")) {
            Set<Long> seen = new HashSet<>();
            List<Long> sequence = new ArrayList<>();
            String cursor = null;
            do {
                Response page = api.get("/api/search?q=" + word + "&size=3&order=" + order
                        + (cursor == null ? "" : "&cursor=" + cursor), alice.accessToken());
                assertThat(page.status()).isEqualTo(200);
                page.json().get("hits").forEach(h -> {
                    assertThat(seen.add(h.get("seq").asLong())).isTrue();
                    sequence.add(h.get("seq").asLong());
                });
                cursor = page.json().path("nextCursor").isTextual() ? page.json().get("nextCursor").asText() : null;
            } while (cursor != null);
            assertThat(seen).hasSize(7);
            if (order.equals("newest")) {
                assertThat(sequence).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);
            }
        }
    }

    @Test
    void badInputIsA400ProblemAndOddSyntaxNeverA500() {
        User alice = api.signUp("alice");
        for (String query : List.of("q=" + enc("((( ---"), "cursor=not-a-cursor", "from=yesterday",
                "order=sideways", "type=SMELL", "q=" + "x".repeat(600),
                "from=2024-01-02T00:00:00Z&to=2024-01-01T00:00:00Z", "size=1000")) {
            Response response = api.get("/api/search?" + query, alice.accessToken());
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.isProblem()).as(query).isTrue();
        }
        for (String odd : List.of("\"unbalanced AND ) OR", "fo* -bar |", "a~2 + (b", "text:secret", "\\")) {
            int status = api.get("/api/search?q=" + enc(odd), alice.accessToken()).status();
            assertThat(status).as(odd).isIn(200, 400);
        }
        assertThat(api.get("/api/search?q=x", null).status()).isEqualTo(401);
    }

    private JsonNode search(User user, String query) {
        Response response = api.get("/api/search?" + query, user.accessToken());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("hits");
    }

    /** The index is near-real-time (refresh interval 1 s) and fed asynchronously: poll (generously: CI boxes are busy). */
    private JsonNode awaitHits(User user, String query, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode hits;
        do {
            hits = search(user, query);
            if (done.test(hits)) {
                return hits;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("search '" + query + "' never matched; last hits: " + hits);
    }

    private static List<String> seqs(JsonNode hits) {
        List<String> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.get("conversationId").asText() + ":" + h.get("seq").asLong()));
        return ids;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
