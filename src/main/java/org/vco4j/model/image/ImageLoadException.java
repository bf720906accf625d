package org.vco4j.model.image;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An image file that could not be turned into pixels: missing, unreadable, empty, corrupt or truncated,
 * or in a format other than PNG, JPEG, BMP and GIF. Checked (an {@link IOException}) because it is about
 * the file, not the program; the message always names the file.
 */
public class ImageLoadException extends IOException {
    private final Path file;

    public ImageLoadException(Path file, String reason) {
        super("cannot load image " + file + ": " + reason);
        this.file = file;
    }

    public ImageLoadException(Path file, String reason, Throwable cause) {
        super("cannot load image " + file + ": " + reason, cause);
        this.file = file;
    }

    /** The file that failed. */
    public Path file() {
        return file;
    }
}
