package io.parley.gateway.web.media;

import io.parley.command.media.storage.BlobStore;
import io.parley.gateway.web.Problems;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.context.request.ServletWebRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;

/**
 * The conditional and partial GET of one blob, with Spring's own machinery: {@code If-None-Match} through
 * {@link ServletWebRequest#checkNotModified(String)}, ranges through {@link HttpRange}. A satisfiable range is
 * answered by Spring MVC itself: a {@link Resource} body of a 200 entity is cut into
 * {@code ResourceRegion}s ({@link HttpRange#toResourceRegions}), one region as 206 with {@code Content-Range},
 * several as {@code multipart/byteranges}. What Spring would not do is checked here first: an unsatisfiable
 * range is a problem+json 416 (Spring's own 416 would carry the whole file), and a range the client's
 * {@code If-Range} or an unreadable header tells us to ignore gets the whole file as a plain
 * {@link InputStreamResource}, the one body type Spring MVC never cuts.
 */
final class MediaDownloads {

    /**
     * What to serve: {@code key} in {@code store}, with the entity tag and the headers of the answer.
     */
    record Blob(BlobStore store, String key, String etag, String contentType, ContentDisposition disposition) {
    }

    ResponseEntity<Resource> serve(ServletWebRequest request, String range, String ifRange, Blob blob)
            throws IOException {
        HttpHeaders headers = new HttpHeaders();
        headers.setETag(blob.etag());
        // the bytes behind a media id never change: clients and the CDN may keep them, but only per user
        headers.setCacheControl("private, max-age=31536000, immutable");
        headers.set("X-Content-Type-Options", "nosniff");
        // even if a browser renders the file, it runs nothing and reaches nothing
        headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
        if (request.checkNotModified(blob.etag())) {
            // 304, or 412 when an If-Match failed: checkNotModified has set the status
            return ResponseEntity.status(request.getResponse().getStatus()).headers(headers).build();
        }
        OptionalLong size = blob.store().size(blob.key());
        if (size.isEmpty()) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "media-not-found", "The file's content is missing");
        }
        long length = size.getAsLong();
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
        BlobResource resource = new BlobResource(blob.store(), blob.key(), length);
        List<HttpRange> ranges = range != null && (ifRange == null || ifRange.equals(blob.etag()))
                ? readable(range) : List.of();
        if (!ranges.isEmpty() && !satisfiable(ranges, resource)) {
            ErrorResponseException unsatisfiable = Problems.exception(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    "range-not-satisfiable", "The file has " + length + " bytes");
            unsatisfiable.getHeaders().putAll(headers);
            unsatisfiable.getHeaders().set(HttpHeaders.CONTENT_RANGE, "bytes */" + length);
            throw unsatisfiable;
        }
        headers.setContentDisposition(blob.disposition());
        headers.setContentType(MediaType.parseMediaType(blob.contentType()));
        if (!ranges.isEmpty()) {
            // Spring MVC cuts the regions and answers 206 (it sets Content-Range and Content-Length)
            return ResponseEntity.ok().headers(headers).body(resource);
        }
        headers.setContentLength(length);
        return ResponseEntity.ok().headers(headers).body(new InputStreamResource(resource::getInputStream));
    }

    /** RFC 9110 lets a server ignore a Range header it cannot read, and serve the whole file. */
    private static List<HttpRange> readable(String header) {
        try {
            return HttpRange.parseRanges(header);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private static boolean satisfiable(List<HttpRange> ranges, Resource resource) {
        try {
            return HttpRange.toResourceRegions(ranges, resource).stream().allMatch(r -> r.getCount() > 0);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A blob as a Spring resource of known length. Spring reads a region by skipping to its start: the stream
     * opens the blob at the first offset it is asked for, so a skip costs a seek, never a read of what it skips.
     */
    static final class BlobResource extends AbstractResource {

        private final BlobStore store;
        private final String key;
        private final long length;

        BlobResource(BlobStore store, String key, long length) {
            this.store = store;
            this.key = key;
            this.length = length;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public String getDescription() {
            return "blob " + key;
        }

        @Override
        public InputStream getInputStream() {
            return new InputStream() {
                private InputStream in;

                private InputStream in(long offset) throws IOException {
                    if (in == null) {
                        in = store.open(key, offset);
                    }
                    return in;
                }

                @Override
                public long skip(long n) throws IOException {
                    if (in == null && n > 0) {
                        long to = Math.min(n, length);
                        in(to);
                        return to;
                    }
                    return in(0).skip(n);
                }

                @Override
                public int read() throws IOException {
                    return in(0).read();
                }

                @Override
                public int read(byte[] buffer, int offset, int count) throws IOException {
                    return in(0).read(buffer, offset, count);
                }

                @Override
                public void close() throws IOException {
                    if (in != null) {
                        in.close();
                    }
                }
            };
        }
    }
}
