package io.parley.gateway.web.media;

import io.parley.api.media.MediaKind;
import io.parley.api.media.MediaQueries.AccessibleMediaQuery;
import io.parley.api.media.MediaQueries.MediaView;
import io.parley.command.media.FileNames;
import io.parley.command.media.MediaProperties;
import io.parley.command.media.MediaService;
import io.parley.command.media.UploadRejected;
import io.parley.command.media.storage.MediaStores;
import io.parley.gateway.web.Problems;
import io.parley.query.media.MediaViewAwaiter;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import org.springframework.web.context.request.ServletWebRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.time.Duration;
import java.util.Optional;
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
    private static final Duration READ_YOUR_WRITES = Duration.ofSeconds(2);

    record UploadResponse(String id, String type, MediaKind kind, long size, String sha256, Integer width,
                          Integer height, Long durationMillis, String thumbnailUrl, String name) {
    }

    private final MediaService media;
    private final MediaDownloads downloads;
    private final MediaStores stores;
    private final QueryGateway queries;
    private final MediaViewAwaiter views;
    private final MediaProperties properties;

    MediaController(MediaService media, MediaStores stores, QueryGateway queries, MediaViewAwaiter views,
                    MediaProperties properties) {
        this.media = media;
        this.downloads = new MediaDownloads();
        this.stores = stores;
        this.queries = queries;
        this.views = views;
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
                    uploaded = media.upload(uploaderId, in, fileName(part));
                }
                // read-your-writes: the uploader may fetch the file (or its thumbnail) right after this answer,
                // so wait (bounded) for the media-access processor to record it; sending it needs no view
                // (ownership is write-side state)
                views.await(uploaded.id(), READ_YOUR_WRITES);
                UploadResponse body = new UploadResponse(uploaded.id(), uploaded.type(), uploaded.kind(),
                        uploaded.size(), uploaded.sha256(), uploaded.width(), uploaded.height(),
                        uploaded.durationMillis(), uploaded.hasThumbnail() ? "/api/media/" + uploaded.id() + "/thumbnail" : null,
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
    ResponseEntity<Resource> download(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                      ServletWebRequest request,
                                      @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
                                      @RequestHeader(name = HttpHeaders.IF_RANGE, required = false) String ifRange)
            throws IOException {
        MediaView view = accessible(id, jwt.getSubject());
        boolean inline = view.kind() != MediaKind.DOCUMENT;
        ContentDisposition disposition = (inline ? ContentDisposition.inline() : ContentDisposition.attachment())
                .filename(FileNames.sanitize(view.originalName()), StandardCharsets.UTF_8).build();
        return downloads.serve(request, range, ifRange, new MediaDownloads.Blob(stores.blobs(), view.sha256(),
                "\"" + view.sha256() + "\"", view.contentType(), disposition));
    }

    @GetMapping("/{id}/thumbnail")
    ResponseEntity<Resource> thumbnail(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                       ServletWebRequest request,
                                       @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
                                       @RequestHeader(name = HttpHeaders.IF_RANGE, required = false) String ifRange)
            throws IOException {
        MediaView view = accessible(id, jwt.getSubject());
        if (!view.hasThumbnail()) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "thumbnail-not-found", "This file has no thumbnail");
        }
        return downloads.serve(request, range, ifRange, new MediaDownloads.Blob(stores.thumbnails(), view.sha256(),
                "\"" + view.sha256() + "-thumb\"", MediaType.IMAGE_JPEG_VALUE,
                ContentDisposition.inline().filename("thumbnail.jpg").build()));
    }

    /**
     * The part's file name as the client sent it. FileUpload refuses a name holding U+0000 with an unchecked
     * {@link InvalidPathException}, which used to surface as a 500 (issue 15): it is the client's error.
     */
    private static String fileName(FileItemInput part) {
        try {
            return part.getName();
        } catch (InvalidPathException e) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-file-name", "A file name may not contain U+0000");
        }
    }

    /** The pipeline's refusals, with the status each has always had; a rate refusal says when to retry. */
    @ExceptionHandler(UploadRejected.class)
    ResponseEntity<ProblemDetail> rejected(UploadRejected e) {
        HttpStatus status = switch (e.reason()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case TOO_LARGE -> HttpStatus.PAYLOAD_TOO_LARGE;
            case TYPE_NOT_ALLOWED -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case TOO_MANY -> HttpStatus.TOO_MANY_REQUESTS;
        };
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()));
        }
        return response.body(Problems.problem(status, e.code(), e.getMessage()));
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
}
