package io.parley.command.media.storage;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.GridFSDownloadStream;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.MongoGridFSException;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The {@code gridfs} driver, for the distributed profile where the MongoDB replica set replicates the files.
 * <p>
 * Each upload goes into GridFS under a fresh ObjectId; a small {@code <bucket>.keys} collection maps the content
 * key ({@code _id}) to that file. Why not use the key as the GridFS file id: two nodes uploading the same new
 * content at once would then write chunks under the same file id, and the loser's abort deletes the winner's
 * chunks. Here the key document is inserted last, its unique {@code _id} decides the race, and the loser
 * deletes only its own file. Every lookup is by {@code _id} (keys, files), the shape the embedded server serves
 * from an index; GridFS's chunk reads still scan on the embedded server, which is why {@code local} is the
 * embedded default.
 */
public final class GridFsBlobStore implements BlobStore {

    /** 1 MiB chunks: a quarter of the round trips of the 255 KiB default, still far below the 16 MiB limit. */
    private static final int CHUNK_SIZE = 1024 * 1024;

    private final GridFSBucket bucket;
    private final MongoCollection<Document> keys;
    private final Path staging;

    public GridFsBlobStore(MongoDatabase database, String bucketName, Path staging) throws IOException {
        this.bucket = GridFSBuckets.create(database, bucketName).withChunkSizeBytes(CHUNK_SIZE);
        this.keys = database.getCollection(bucketName + ".keys");
        this.staging = staging.toAbsolutePath().normalize();
        Files.createDirectories(this.staging);
    }

    @Override
    public String driver() {
        return "gridfs";
    }

    @Override
    public StagedBlob stage(InputStream content, long maxBytes) throws IOException {
        return StagedBlob.write(staging, content, maxBytes);
    }

    @Override
    public boolean commit(StagedBlob staged, String key) throws IOException {
        BlobStore.requireKey(key);
        try (staged) {
            if (keys.find(Filters.eq("_id", key)).first() != null) {
                return false;
            }
            ObjectId fileId;
            try (InputStream in = Files.newInputStream(staged.file())) {
                fileId = bucket.uploadFromStream(key, in, new GridFSUploadOptions().chunkSizeBytes(CHUNK_SIZE));
            }
            try {
                keys.insertOne(new Document("_id", key).append("fileId", fileId).append("size", staged.size()));
                return true;
            } catch (MongoWriteException e) {
                bucket.delete(fileId);
                if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    return false;
                }
                throw e;
            }
        }
    }

    @Override
    public OptionalLong size(String key) {
        Document doc = keys.find(Filters.eq("_id", BlobStore.requireKey(key))).first();
        return doc == null ? OptionalLong.empty() : OptionalLong.of(((Number) doc.get("size")).longValue());
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        Document doc = keys.find(Filters.eq("_id", BlobStore.requireKey(key))).first();
        if (doc == null) {
            throw new java.nio.file.NoSuchFileException(key);
        }
        GridFSDownloadStream stream = bucket.openDownloadStream(doc.getObjectId("fileId"));
        // the driver's skip jumps to the chunk holding the offset instead of reading the chunks before it
        long skipped = 0;
        while (skipped < offset) {
            long n = stream.skip(offset - skipped);
            if (n <= 0) {
                break;
            }
            skipped += n;
        }
        return stream;
    }

    @Override
    public boolean delete(String key) {
        Document doc = keys.findOneAndDelete(Filters.eq("_id", BlobStore.requireKey(key)));
        if (doc == null) {
            return false;
        }
        try {
            bucket.delete(doc.getObjectId("fileId"));
        } catch (MongoGridFSException e) {
            // the file was already gone: the key was the last trace of it
        }
        return true;
    }
}
