package io.parley.command.media;

import net.coobird.thumbnailator.Thumbnails;
import org.springframework.stereotype.Component;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Dimensions and thumbnails of uploaded images, with ImageIO and Thumbnailator. Dimensions come from the image
 * header without decoding pixels; a thumbnail decodes a subsampled image (every n-th pixel), so a 50-megapixel
 * photo costs a few megabytes of heap, not 200.
 */
@Component
class ImageProcessor {

    record Dimensions(int width, int height) {
    }

    /** Null when ImageIO has no reader for the format (WebP on a plain JDK): such images get no dimensions. */
    Dimensions dimensions(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(in);
            if (reader == null) {
                return null;
            }
            try {
                reader.setInput(in, true, true);
                return new Dimensions(reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        }
    }

    /** A JPEG whose longest side is at most {@code size}; transparent areas are flattened onto white. */
    byte[] thumbnail(Path file, Dimensions dimensions, int size) throws IOException {
        BufferedImage decoded;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(in);
            if (reader == null) {
                throw new IOException("No image reader for this format");
            }
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                // decode at roughly twice the target size, then let Thumbnailator scale down smoothly
                int step = Math.max(1, Math.max(dimensions.width(), dimensions.height()) / (size * 2));
                param.setSourceSubsampling(step, step, 0, 0);
                decoded = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
        return thumbnail(decoded, size);
    }

    /** A JPEG of an already decoded picture (a video's poster frame), at most {@code size} on its longest side. */
    byte[] thumbnail(BufferedImage decoded, int size) throws IOException {
        // scaled down only: a picture already smaller than a thumbnail keeps its size
        BufferedImage scaled = Math.max(decoded.getWidth(), decoded.getHeight()) <= size ? decoded
                : Thumbnails.of(decoded).size(size, size).keepAspectRatio(true).asBufferedImage();
        BufferedImage opaque = new BufferedImage(scaled.getWidth(), scaled.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = opaque.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, opaque.getWidth(), opaque.getHeight());
            g.drawImage(scaled, 0, 0, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thumbnails.of(opaque).scale(1.0).outputFormat("jpg").outputQuality(0.8f).toOutputStream(out);
        return out.toByteArray();
    }

    private static ImageReader reader(ImageInputStream in) {
        if (in == null) {
            return null;
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        return readers.hasNext() ? readers.next() : null;
    }
}
