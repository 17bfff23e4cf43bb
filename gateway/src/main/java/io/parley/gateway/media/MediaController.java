package io.parley.gateway.media;

import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaQueries.AccessibleMediaQuery;
import io.parley.api.media.MediaQueries.MediaView;
import io.parley.gateway.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /api/media} (multipart, part {@code file}), {@code GET /api/media/{id}} and
 * {@code GET /api/media/{id}/thumbnail}.
 * <p>
 * The upload reads the multipart body itself (commons-fileupload's streaming API) instead of letting the
 * servlet container park the whole file on disk first: the bytes are hashed while they are copied once into the
 * blob store's staging area, and an oversize file is refused as soon as it passes its limit.
 */
@RestController
@RequestMapping("/api/media")
class MediaController {

    private static final int COPY_BUFFER = 64 * 1024;

    record UploadResponse(String id, String type, MediaKind kind, long size, String sha256, Integer width,
                          Integer height, String thumbnailUrl, String name) {
    }

    private final MediaService media;
    private final MediaStores stores;
    private final QueryGateway queries;
    private final MediaProperties properties;

    MediaController(MediaService media, MediaStores stores, QueryGateway queries, MediaProperties properties) {
        this.media = media;
        this.stores = stores;
        this.queries = queries;
        this.properties = properties;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<UploadResponse> upload(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request)
            throws IOException {
        String uploaderId = jwt.getSubject();
        media.admit(uploaderId, request.getContentLengthLong());
        JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> parser = new JakartaServletFileUpload<>();
        // the whole request may hold the largest file plus its multipart framing, and nothing more
        parser.setMaxSize(properties.limits().largest() + MediaService.MULTIPART_OVERHEAD);
        parser.setMaxFileCount(10);
        try {
            FileItemInputIterator parts = parser.getItemIterator(request);
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                if (part.isFormField() || !"file".equals(part.getFieldName())) {
                    continue;
                }
                MediaService.Uploaded uploaded;
                try (InputStream in = part.getInputStream()) {
                    uploaded = media.upload(uploaderId, in, part.getName());
                }
                UploadResponse body = new UploadResponse(uploaded.id(), uploaded.type(), uploaded.kind(),
                        uploaded.size(), uploaded.sha256(), uploaded.width(), uploaded.height(),
                        uploaded.hasThumbnail() ? "/api/media/" + uploaded.id() + "/thumbnail" : null,
                        uploaded.name());
                return ResponseEntity.created(URI.create("/api/media/" + uploaded.id())).body(body);
            }
        } catch (FileUploadSizeException e) {
            throw Problems.exception(HttpStatus.PAYLOAD_TOO_LARGE, "file-too-large",
                    "The upload exceeds " + properties.limits().largest() + " bytes");
        } catch (FileUploadException e) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "malformed-multipart",
                    "The body is not a valid multipart/form-data request");
        }
        throw Problems.exception(HttpStatus.BAD_REQUEST, "missing-part", "The multipart part 'file' is required");
    }

    @GetMapping("/{id}")
    void download(@AuthenticationPrincipal Jwt jwt, @PathVariable String id, HttpServletRequest request,
                  HttpServletResponse response) throws IOException {
        MediaView view = accessible(id, jwt.getSubject());
        boolean inline = view.kind() != MediaKind.DOCUMENT;
        ContentDisposition disposition = (inline ? ContentDisposition.inline() : ContentDisposition.attachment())
                .filename(FileNames.sanitize(view.originalName()), StandardCharsets.UTF_8).build();
        serve(request, response, stores.blobs(), view.sha256(), "\"" + view.sha256() + "\"", view.contentType(),
                disposition);
    }

    @GetMapping("/{id}/thumbnail")
    void thumbnail(@AuthenticationPrincipal Jwt jwt, @PathVariable String id, HttpServletRequest request,
                   HttpServletResponse response) throws IOException {
        MediaView view = accessible(id, jwt.getSubject());
        if (!view.hasThumbnail()) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "thumbnail-not-found", "This file has no thumbnail");
        }
        serve(request, response, stores.thumbnails(), view.sha256(), "\"" + view.sha256() + "-thumb\"",
                MediaType.IMAGE_JPEG_VALUE, ContentDisposition.inline().filename("thumbnail.jpg").build());
    }

    /** The same answer for "no such file" and "not yours": a stranger learns nothing about the id. */
    private MediaView accessible(String id, String requesterId) {
        Optional<MediaView> view;
        try {
            view = queries.query(new AccessibleMediaQuery(id, requesterId),
                    ResponseTypes.optionalInstanceOf(MediaView.class)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
        return view.orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND, "media-not-found", "No such media"));
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, BlobStore store, String key,
                       String etag, String contentType, ContentDisposition disposition) throws IOException {
        // the bytes behind a media id never change: clients and the CDN may keep them, but only per user
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=31536000, immutable");
        response.setHeader("X-Content-Type-Options", "nosniff");
        // even if a browser renders the file, it runs nothing and reaches nothing
        response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        if (ByteRanges.matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            return;
        }
        OptionalLong size = store.size(key);
        if (size.isEmpty()) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "media-not-found", "The file's content is missing");
        }
        long length = size.getAsLong();
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        ByteRanges.Range range = ByteRanges.Range.whole(length);
        String rangeHeader = request.getHeader(HttpHeaders.RANGE);
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        if (rangeHeader != null && (ifRange == null || ifRange.equals(etag))) {
            Optional<ByteRanges.Range> requested = ByteRanges.parse(rangeHeader, length);
            if (requested == null) {
                response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + length);
                throw Problems.exception(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range-not-satisfiable",
                        "The file has " + length + " bytes");
            }
            if (requested.isPresent()) {
                range = requested.get();
                response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
                response.setHeader(HttpHeaders.CONTENT_RANGE,
                        "bytes " + range.start() + "-" + range.end() + "/" + length);
            }
        }
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, disposition.toString());
        response.setContentType(contentType);
        response.setContentLengthLong(range.length());
        try (InputStream in = store.open(key, range.start())) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[COPY_BUFFER];
            long remaining = range.length();
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                remaining -= n;
            }
        }
    }
}
