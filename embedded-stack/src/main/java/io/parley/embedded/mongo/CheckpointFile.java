package io.parley.embedded.mongo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * One checkpoint of the in-memory MongoDB: {@code <dir>/checkpoint.bson}, replaced atomically. The file is a
 * sequence of records {@code [tag byte][BSON document]} (a BSON document starts with its own length): a header,
 * then per collection one {@code C} record ({@code db}, {@code name}, {@code indexes}) followed by its documents
 * ({@code D}), and an end record, so a truncated file is recognised as such instead of being loaded half.
 * <p>
 * Written to {@code checkpoint.tmp}, forced to disk, renamed over the previous checkpoint (atomic move) and the
 * directory forced: a crash at any point leaves either the previous checkpoint or the new one, never a mix.
 */
final class CheckpointFile {

    static final String NAME = "checkpoint.bson";
    static final String TEMPORARY = "checkpoint.tmp";
    private static final int VERSION = 1;
    private static final byte HEADER = 'H';
    private static final byte COLLECTION = 'C';
    private static final byte DOCUMENT = 'D';
    private static final byte END = 'E';

    /** What a checkpoint body writes, in order: a collection, then its documents; then the next one. */
    interface Writer {
        void collection(String database, String name, List<BsonDocument> indexes) throws IOException;

        void document(ByteBuffer bson) throws IOException;
    }

    /** Receives a checkpoint's content in the order it was written. */
    interface Reader {
        void collection(String database, String name, List<BsonDocument> indexes);

        void document(RawBsonDocument document);

        /** After the last document of the last collection. */
        void end();
    }

    /** A body that writes a checkpoint and may fail midway (the previous checkpoint then stays). */
    interface Body {
        void writeTo(Writer writer) throws IOException;
    }

    private CheckpointFile() {
    }

    /** Writes a new checkpoint into {@code dir} with {@code body}; on any failure the previous one stays. */
    static void write(Path dir, Body body) throws IOException {
        Path tmp = dir.resolve(TEMPORARY);
        boolean done = false;
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel),
                    1 << 16));
            record(out, HEADER, new BsonDocument("version", new BsonInt32(VERSION)));
            body.writeTo(new Writer() {
                @Override
                public void collection(String database, String name, List<BsonDocument> indexes) throws IOException {
                    record(out, COLLECTION, new BsonDocument("db", new BsonString(database))
                            .append("name", new BsonString(name))
                            .append("indexes", new BsonArray(indexes)));
                }

                @Override
                public void document(ByteBuffer bson) throws IOException {
                    out.writeByte(DOCUMENT);
                    writeBytes(out, bson);
                }
            });
            record(out, END, new BsonDocument());
            out.flush();
            channel.force(true);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        Files.move(tmp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    /** Reads {@code file} into {@code reader}; fails on a file that is truncated or not a checkpoint. */
    static void read(Path file, Reader reader) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            if (in.readByte() != HEADER) {
                throw new IOException(file + " is not a Parley MongoDB checkpoint");
            }
            int version = readDocument(in).getInt32("version").getValue();
            if (version != VERSION) {
                throw new IOException(file + " has checkpoint version " + version + ", expected " + VERSION);
            }
            while (true) {
                byte tag;
                try {
                    tag = in.readByte();
                } catch (EOFException e) {
                    throw new IOException(file + " is truncated (no end record)", e);
                }
                RawBsonDocument doc = readDocument(in);
                switch (tag) {
                    case COLLECTION -> reader.collection(doc.getString("db").getValue(),
                            doc.getString("name").getValue(),
                            doc.getArray("indexes").stream().map(v -> v.asDocument().clone()).toList());
                    case DOCUMENT -> reader.document(doc);
                    case END -> {
                        reader.end();
                        return;
                    }
                    default -> throw new IOException(file + ": unknown record tag " + tag);
                }
            }
        }
    }

    private static void record(DataOutputStream out, byte tag, BsonDocument doc) throws IOException {
        out.writeByte(tag);
        writeBytes(out, new RawBsonDocument(doc, new BsonDocumentCodec()).getByteBuffer().asNIO());
    }

    private static void writeBytes(DataOutputStream out, ByteBuffer bson) throws IOException {
        ByteBuffer b = bson.duplicate();
        if (b.hasArray()) {
            out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
        } else {
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            out.write(copy);
        }
    }

    private static RawBsonDocument readDocument(DataInputStream in) throws IOException {
        byte[] lengthBytes = new byte[4];
        in.readFully(lengthBytes);
        int length = ByteBuffer.wrap(lengthBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        if (length < 5) {
            throw new IOException("invalid BSON length " + length);
        }
        byte[] bytes = new byte[length];
        System.arraycopy(lengthBytes, 0, bytes, 0, 4);
        in.readFully(bytes, 4, length - 4);
        return new RawBsonDocument(bytes);
    }
}
