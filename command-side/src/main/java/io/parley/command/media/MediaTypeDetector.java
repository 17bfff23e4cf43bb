package io.parley.command.media;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;

/**
 * Names a file's type from its bytes (Apache Tika's magic signatures). The client's claimed type is never
 * consulted; the file name is, but Tika only lets a name refine what the bytes say (a zip named x.docx becomes
 * the docx type), never override it: an executable named cat.jpg stays an executable. Bytes no signature
 * matches are {@code application/octet-stream} whatever the name: Tika would otherwise take the name's type
 * (octet-stream is the supertype of everything), and 3,000 random bytes named innocent.png became an image
 * (issue 15). Such a file is stored as a document, as WhatsApp does with files it cannot show.
 */
@Component
class MediaTypeDetector {

    private final MimeTypes mimeTypes = MimeTypes.getDefaultMimeTypes();

    /** Reads at most the head of {@code in}, which must support mark/reset, and resets it. */
    String detect(InputStream in, String fileName) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("Type detection needs a stream that supports mark/reset");
        }
        MediaType bytesOnly = mimeTypes.detect(in, new Metadata());
        if (MediaType.OCTET_STREAM.equals(bytesOnly.getBaseType())) {
            return MediaType.OCTET_STREAM.toString();
        }
        Metadata metadata = new Metadata();
        if (fileName != null && !fileName.isBlank()) {
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        }
        MediaType type = mimeTypes.detect(in, metadata);
        return type.getBaseType().toString();
    }
}
