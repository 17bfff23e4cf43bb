package io.parley.projections.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The links of the audit chain (README, "Audit"): {@code link = SHA-256(previous link || canonical event)}, the
 * first event's previous link being 32 zero bytes. The canonical form is every stored column of the row, each
 * length-prefixed so no two different rows encode alike: global index, event id, aggregate type, aggregate id,
 * aggregate sequence, payload type, revision, timestamp text, payload bytes, metadata bytes.
 */
public final class ChainHash {

    public static final byte[] GENESIS = new byte[32];
    private static final HexFormat HEX = HexFormat.of();

    private ChainHash() {
    }

    public static byte[] link(byte[] previous, StoredEvent event) {
        MessageDigest sha = sha256();
        sha.update(previous);
        sha.update(canonical(event));
        return sha.digest();
    }

    public static String hex(byte[] hash) {
        return HEX.formatHex(hash);
    }

    public static byte[] parse(String hex) {
        return HEX.parseHex(hex);
    }

    static byte[] canonical(StoredEvent e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + length(e.payload()) + length(e.metaData()));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(e.position());
            text(out, e.eventId());
            text(out, e.aggregateType());
            text(out, e.aggregateId());
            out.writeLong(e.aggregateSeq());
            text(out, e.payloadType());
            text(out, e.revision());
            text(out, e.timestamp());
            bytes(out, e.payload());
            bytes(out, e.metaData());
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        bytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** -1 for null, so a null column and an empty one differ. */
    private static void bytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    private static int length(byte[] value) {
        return value == null ? 0 : value.length;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
