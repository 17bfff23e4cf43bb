package io.parley.api.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.parley.api.account.AccountEvents.AccountRegistered;
import io.parley.api.account.Role;
import io.parley.api.conversation.ConversationEvents.MessageEdited;
import io.parley.api.conversation.ConversationEvents.MessageSent;
import io.parley.api.conversation.MessageType;
import io.parley.api.media.MediaEvents.MediaUploaded;
import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaRef;
import org.junit.jupiter.api.Test;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersonalDataModuleTest {

    private static final String ALICE = "6f1c8a52-8f7e-4c59-9a55-3c1f5f4b0d11";
    private static final String BOB = "9b2d7e14-3a5c-4f60-8d21-7c4e9f0a1b33";
    private static final Instant AT = Instant.parse("2026-12-03T09:00:00Z");

    private final MemoryKeys keys = new MemoryKeys();
    private final PersonalDataCipher cipher = new PersonalDataCipher(keys);
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new PersonalDataModule(cipher));
    private final ObjectMapper plainMapper = new ObjectMapper().registerModule(new JavaTimeModule());

    private MessageSent sent(String sender, String text, MediaRef media) {
        return new MessageSent("c1", 1, "m1", "k1", sender, MessageType.TEXT, text, media, null, AT);
    }

    private static MediaRef document(String fileName) {
        return new MediaRef("md1", MediaKind.DOCUMENT, "application/pdf", 10, null, null, fileName, false);
    }

    @Test
    void personalFieldsAreStoredEncryptedAndReadBackAsTheyWere() throws Exception {
        MessageSent event = sent(ALICE, "meet me at the lighthouse", document("lighthouse-plans.pdf"));

        String json = mapper.writeValueAsString(event);

        assertThat(json).doesNotContain("lighthouse").contains("\"text\":\"pd1:" + ALICE + ":")
                .contains("\"fileName\":\"pd1:" + ALICE + ":").contains("\"senderId\":\"" + ALICE + "\"");
        assertThat(mapper.readValue(json, MessageSent.class)).isEqualTo(event);
    }

    @Test
    void everyAnnotatedEventNamesItsSubject() throws Exception {
        AccountRegistered registered = new AccountRegistered(ALICE, "alice", "Alice Liddell", EnumSet.of(Role.USER), AT);
        MessageEdited edited = new MessageEdited("c1", 2, 1, BOB, "an edited secret", AT);
        MediaUploaded uploaded = new MediaUploaded("md1", BOB, "a".repeat(64), 10, "application/pdf",
                MediaKind.DOCUMENT, "bob-taxes.pdf", null, null, false, null, AT);

        assertThat(mapper.writeValueAsString(registered)).doesNotContain("alice\"").doesNotContain("Liddell")
                .contains("pd1:" + ALICE);
        assertThat(mapper.writeValueAsString(edited)).doesNotContain("secret").contains("pd1:" + BOB);
        assertThat(mapper.writeValueAsString(uploaded)).doesNotContain("taxes").contains("pd1:" + BOB);
        assertThat(mapper.readValue(mapper.writeValueAsString(registered), AccountRegistered.class)).isEqualTo(registered);
        assertThat(mapper.readValue(mapper.writeValueAsString(uploaded), MediaUploaded.class)).isEqualTo(uploaded);
    }

    @Test
    void afterTheKeyIsDestroyedTheTextReadsErasedAndOthersAreUntouched() throws Exception {
        String alices = mapper.writeValueAsString(sent(ALICE, "alice's secret", document("alice.pdf")));
        String bobs = mapper.writeValueAsString(sent(BOB, "bob's words", null));

        keys.destroy(ALICE);

        MessageSent read = mapper.readValue(alices, MessageSent.class);
        assertThat(read.text()).isEqualTo(PersonalDataCipher.ERASED);
        assertThat(read.media().fileName()).isEqualTo(PersonalDataCipher.ERASED);
        assertThat(read.senderId()).isEqualTo(ALICE);
        assertThat(read.seq()).isEqualTo(1);
        assertThat(mapper.readValue(bobs, MessageSent.class).text()).isEqualTo("bob's words");
        // what is written for a deleted account afterwards is the marker itself, never the plain text
        assertThat(mapper.writeValueAsString(sent(ALICE, "too late", null))).doesNotContain("too late")
                .contains("\"text\":\"[erased]\"");
    }

    @Test
    void legacyPlainTextEventsStayReadable() throws Exception {
        String legacy = plainMapper.writeValueAsString(sent(ALICE, "written before encryption", document("old.pdf")));

        MessageSent read = mapper.readValue(legacy, MessageSent.class);

        assertThat(read.text()).isEqualTo("written before encryption");
        assertThat(read.media().fileName()).isEqualTo("old.pdf");
        assertThat(keys.created).isEmpty();
    }

    @Test
    void nullPersonalFieldsStayNull() throws Exception {
        MessageSent event = sent(ALICE, null, document(null));
        assertThat(mapper.readValue(mapper.writeValueAsString(event), MessageSent.class)).isEqualTo(event);
    }

    @Test
    void aTamperedCiphertextFailsClearlyWithoutShowingContent() throws Exception {
        ObjectNode tree = (ObjectNode) mapper.readTree(mapper.writeValueAsString(sent(ALICE, "integrity", null)));
        String stored = tree.get("text").textValue();
        char last = stored.charAt(stored.length() - 2);
        tree.put("text", stored.substring(0, stored.length() - 2) + (last == 'A' ? 'B' : 'A')
                + stored.charAt(stored.length() - 1));

        assertThatThrownBy(() -> mapper.treeToValue(tree, MessageSent.class))
                .hasRootCauseInstanceOf(javax.crypto.AEADBadTagException.class)
                .hasMessageContaining("fails its integrity check").hasMessageContaining(ALICE);
    }

    @Test
    void aCiphertextMovedToAnotherAccountFails() throws Exception {
        keys.forWriting(BOB);
        String stored = mapper.readTree(mapper.writeValueAsString(sent(ALICE, "mine", null))).get("text").textValue();
        String moved = stored.replace(ALICE, BOB);

        assertThatThrownBy(() -> cipher.decrypt(moved)).isInstanceOf(PersonalDataException.class)
                .hasMessageContaining("integrity");
    }

    @Test
    void theAuditTreeIsShownDecryptedOrErased() throws Exception {
        JsonNode alices = mapper.readTree(mapper.writeValueAsString(sent(ALICE, "visible to auditors", document("a.pdf"))));
        assertThat(PersonalDataModule.readable(alices, cipher).get("text").textValue()).isEqualTo("visible to auditors");
        assertThat(alices.get("text").textValue()).startsWith("pd1:");

        keys.destroy(ALICE);

        JsonNode erased = PersonalDataModule.readable(alices, cipher);
        assertThat(erased.get("text").textValue()).isEqualTo(PersonalDataCipher.ERASED);
        assertThat(erased.get("media").get("fileName").textValue()).isEqualTo(PersonalDataCipher.ERASED);
    }

    @Test
    void personalDataWithoutASubjectIsRefusedRatherThanStoredInPlain() {
        assertThatThrownBy(() -> mapper.writeValueAsString(document("orphan.pdf")))
                .hasMessageContaining("without a @DataSubject");
    }

    /** Keys in memory, as the PostgreSQL table keeps them. */
    static final class MemoryKeys implements DataKeys {
        final Map<String, SecretKey> live = new HashMap<>();
        final Set<String> destroyed = new HashSet<>();
        final List<String> created = new java.util.ArrayList<>();

        @Override
        public Optional<SecretKey> forWriting(String accountId) {
            if (destroyed.contains(accountId)) {
                return Optional.empty();
            }
            return Optional.of(live.computeIfAbsent(accountId, id -> {
                created.add(id);
                try {
                    KeyGenerator generator = KeyGenerator.getInstance("AES");
                    generator.init(256);
                    return generator.generateKey();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }

        @Override
        public Optional<SecretKey> forReading(String accountId) {
            return Optional.ofNullable(live.get(accountId));
        }

        @Override
        public void destroy(String accountId) {
            live.remove(accountId);
            destroyed.add(accountId);
        }

        @Override
        public void evict(String accountId) {
        }
    }
}
