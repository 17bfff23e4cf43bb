package io.parley.gateway.web.media;

import io.parley.command.media.storage.BlobStore;
import io.parley.command.media.storage.LocalBlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.context.request.ServletWebRequest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which answer a download gets before Spring MVC writes it: 304, 416, a resource to cut into ranges, or the whole file. */
class MediaDownloadsTest {

    private static final byte[] CONTENT = new byte[100];

    static {
        for (int i = 0; i < CONTENT.length; i++) {
            CONTENT[i] = (byte) i;
        }
    }

    @TempDir
    Path temp;

    private MediaDownloads.Blob blob;

    @BeforeEach
    void store() throws IOException {
        BlobStore store = new LocalBlobStore(temp);
        String key = store.put(new ByteArrayInputStream(CONTENT), CONTENT.length).sha256();
        blob = new MediaDownloads.Blob(store, key, "\"" + key + "\"", "application/pdf",
                ContentDisposition.attachment().filename("a.pdf").build());
    }

    private ResponseEntity<Resource> get(String range, String ifRange, String ifNoneMatch) throws IOException {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/media/x");
        if (ifNoneMatch != null) {
            request.addHeader("If-None-Match", ifNoneMatch);
        }
        return new MediaDownloads().serve(new ServletWebRequest(request, new MockHttpServletResponse()), range,
                ifRange, blob);
    }

    @Test
    void aMatchingEntityTagIsNotModifiedWeakOrStrong() throws IOException {
        for (String tag : new String[]{blob.etag(), "W/" + blob.etag() + ", \"other\""}) {
            ResponseEntity<Resource> answer = get("bytes=0-9", null, tag);
            assertThat(answer.getStatusCode()).as(tag).isEqualTo(HttpStatus.NOT_MODIFIED);
            assertThat(answer.getBody()).isNull();
            assertThat(answer.getHeaders().getETag()).isEqualTo(blob.etag());
        }
        assertThat(get(null, null, "\"other\"").getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void theWholeFileIsAPlainStreamSpringNeverCuts() throws IOException {
        ResponseEntity<Resource> whole = get(null, null, null);
        assertThat(whole.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(whole.getBody()).isExactlyInstanceOf(InputStreamResource.class);
        assertThat(whole.getHeaders().getContentLength()).isEqualTo(100);
        assertThat(whole.getHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(whole.getHeaders().getFirst("Accept-Ranges")).isEqualTo("bytes");
        assertThat(whole.getHeaders().getContentDisposition().getType()).isEqualTo("attachment");
        try (InputStream in = whole.getBody().getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(CONTENT);
        }
    }

    @Test
    void aRangeIsIgnoredWhenUnreadableOrWhenIfRangeNamesAnotherVersion() throws IOException {
        assertThat(get("items=0-1", null, null).getBody()).isExactlyInstanceOf(InputStreamResource.class);
        assertThat(get("bytes=9-1", null, null).getBody()).isExactlyInstanceOf(InputStreamResource.class);
        assertThat(get("bytes=0-9", "\"older\"", null).getBody()).isExactlyInstanceOf(InputStreamResource.class);
    }

    @Test
    void satisfiableRangesLeaveTheBlobToSpringToCut() throws IOException {
        for (String range : new String[]{"bytes=0-9", "bytes=90-", "bytes=-10", "bytes=50-500", "bytes=0-1,5-6"}) {
            ResponseEntity<Resource> answer = get(range, blob.etag(), null);
            assertThat(answer.getBody()).as(range).isInstanceOf(MediaDownloads.BlobResource.class);
            assertThat(answer.getHeaders().getContentLength()).as(range).isEqualTo(-1);
        }
    }

    @Test
    void noByteInRangeIs416WithTheLength() {
        for (String range : new String[]{"bytes=100-", "bytes=-0", "bytes=0-99,0-99"}) {
            assertThatThrownBy(() -> get(range, null, null)).as(range)
                    .isInstanceOfSatisfying(ErrorResponseException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
                        assertThat(e.getBody().getType().toString())
                                .isEqualTo("https://parley.io/problems/range-not-satisfiable");
                        assertThat(e.getHeaders().getFirst("Content-Range")).isEqualTo("bytes */100");
                    });
        }
    }

    @Test
    void theBlobResourceOpensAtTheOffsetItIsFirstAskedToSkipTo() throws IOException {
        Resource resource = new MediaDownloads.BlobResource(blob.store(), blob.key(), CONTENT.length);
        assertThat(resource.contentLength()).isEqualTo(100);
        try (InputStream in = resource.getInputStream()) {
            assertThat(in.skip(90)).isEqualTo(90);
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 90, 100));
        }
        try (InputStream in = resource.getInputStream()) {
            assertThat(in.read()).isZero();
            assertThat(in.skip(9)).isEqualTo(9);
            assertThat(in.read()).isEqualTo(10);
        }
    }
}
