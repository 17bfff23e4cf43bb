package io.parley.projections.account;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.parley.api.account.DevicePlatform;
import io.parley.api.account.LastSeenVisibility;
import io.parley.api.account.Role;
import io.parley.api.privacy.PersonalDataCipher;
import org.bson.BsonReader;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stored shape of {@link AccountDocument} (the only code naming its fields): {@code _id}, {@code handle},
 * {@code displayName}, {@code roles}, {@code lastSeen}, {@code registeredAt}, {@code devices.<deviceId>}
 * (platform, token, registeredAt) and {@code blocks} ({@code [{userId, at}]}, oldest first; documents written
 * before block times hold {@code blocked}, a list of ids, read with no time); and the idempotent updates that
 * write them.
 */
final class AccountCodec implements Codec<AccountDocument> {
    static final String COLLECTION = "accounts";

    private final DocumentCodec documents = new DocumentCodec();

    static MongoCollection<AccountDocument> collection(MongoDatabase database) {
        return database.getCollection(COLLECTION, AccountDocument.class).withCodecRegistry(CodecRegistries
                .fromRegistries(CodecRegistries.fromCodecs(new AccountCodec()), database.getCodecRegistry()));
    }

    @Override
    public Class<AccountDocument> getEncoderClass() {
        return AccountDocument.class;
    }

    @Override
    public void encode(BsonWriter writer, AccountDocument account, EncoderContext context) {
        Document devices = new Document();
        account.devices().forEach((id, device) -> devices.put(id, device(device.platform(), device.token(),
                device.registeredAt())));
        Document doc = new Document("_id", account.id()).append("handle", account.handle())
                .append("displayName", account.displayName()).append("roles", roleNames(account.roles()))
                .append("lastSeen", account.lastSeen().name()).append("registeredAt", date(account.registeredAt()))
                .append("devices", devices).append("blocks", account.blocked().stream()
                        .map(b -> block(b.userId(), b.at())).toList());
        documents.encode(writer, doc, context);
    }

    @Override
    public AccountDocument decode(BsonReader reader, DecoderContext context) {
        Document doc = documents.decode(reader, context);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        doc.getList("roles", String.class, List.of()).forEach(r -> roles.add(Role.valueOf(r)));
        Map<String, AccountDocument.Device> devices = new LinkedHashMap<>();
        Document stored = doc.get("devices", Document.class);
        if (stored != null) {
            stored.forEach((id, value) -> {
                if (value instanceof Document d) {
                    Date at = d.getDate("registeredAt");
                    devices.put(id, new AccountDocument.Device(DevicePlatform.valueOf(d.getString("platform")),
                            d.getString("token"), at == null ? null : at.toInstant()));
                }
            });
        }
        Date registeredAt = doc.getDate("registeredAt");
        return new AccountDocument(doc.getString("_id"), doc.getString("handle"), doc.getString("displayName"), roles,
                LastSeenVisibility.valueOf(doc.get("lastSeen", LastSeenVisibility.EVERYONE.name())),
                registeredAt == null ? null : registeredAt.toInstant(), devices, blocks(doc));
    }

    private static List<AccountDocument.Block> blocks(Document doc) {
        List<AccountDocument.Block> blocks = new ArrayList<>();
        for (Document b : doc.getList("blocks", Document.class, List.of())) {
            Date at = b.getDate("at");
            blocks.add(new AccountDocument.Block(b.getString("userId"), at == null ? null : at.toInstant()));
        }
        for (String legacy : doc.getList("blocked", String.class, List.of())) {
            if (blocks.stream().noneMatch(b -> b.userId().equals(legacy))) {
                blocks.add(new AccountDocument.Block(legacy, null));
            }
        }
        return blocks;
    }

    /**
     * The people finder's filter: the handle, or a word of the display name, starts with {@code prefix}
     * (case-insensitive; the prefix is matched literally), not the requester, not an account that blocked them
     * (in either stored form of the block list), none of {@code hidden}.
     */
    static Bson findable(String prefix, String requesterId, Collection<String> hidden) {
        String literal = literal(prefix);
        return Filters.and(
                Filters.or(Filters.regex("handle", "^" + literal, "i"),
                        Filters.regex("displayName", "(^|\\s)" + literal, "i")),
                Filters.ne("_id", requesterId), Filters.nin("_id", new ArrayList<>(hidden)),
                Filters.nor(Filters.eq("blocks.userId", requesterId), Filters.eq("blocked", requesterId)));
    }

    static Bson byHandle() {
        return Sorts.ascending("handle");
    }

    /** Every regex metacharacter escaped, so what a user types is matched as text. */
    private static String literal(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\^$.|?*+()[]{}-/#".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    static Bson registered(String handle, String displayName, Set<Role> roles, Instant at) {
        return Updates.combine(Updates.set("handle", handle), Updates.set("displayName", displayName),
                Updates.set("roles", roleNames(roles)),
                Updates.setOnInsert("lastSeen", LastSeenVisibility.EVERYONE.name()),
                Updates.set("registeredAt", date(at)));
    }

    static Bson displayName(String displayName) {
        return Updates.set("displayName", displayName);
    }

    static Bson deleted() {
        return Updates.combine(Updates.set("handle", PersonalDataCipher.ERASED),
                Updates.set("displayName", PersonalDataCipher.ERASED), Updates.unset("devices"));
    }

    static Bson roles(Set<Role> roles) {
        return Updates.set("roles", roleNames(roles));
    }

    static Bson lastSeen(LastSeenVisibility lastSeen) {
        return Updates.set("lastSeen", lastSeen.name());
    }

    static Bson deviceRegistered(String deviceId, DevicePlatform platform, String token, Instant at) {
        return Updates.set("devices." + deviceId, device(platform, token, at));
    }

    static Bson deviceRemoved(String deviceId) {
        return Updates.unset("devices." + deviceId);
    }

    /** Applied after {@link #unblocked}: a block again (after an unblock, or redelivered) leaves one entry. */
    static Bson blocked(String blockedId, Instant at) {
        return Updates.push("blocks", block(blockedId, at));
    }

    static Bson unblocked(String blockedId) {
        return Updates.combine(Updates.pull("blocks", new Document("userId", blockedId)),
                Updates.pull("blocked", blockedId));
    }

    private static Document block(String userId, Instant at) {
        return new Document("userId", userId).append("at", date(at));
    }

    private static Document device(DevicePlatform platform, String token, Instant at) {
        return new Document("platform", platform.name()).append("token", token).append("registeredAt", date(at));
    }

    private static List<String> roleNames(Set<Role> roles) {
        return roles.stream().map(Role::name).sorted().toList();
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }
}
