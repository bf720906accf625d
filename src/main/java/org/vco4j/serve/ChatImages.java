package org.vco4j.serve;

import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.image.ImageLoadException;
import org.vco4j.model.image.ImageLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The images of one chat request as files the model's processor reads. An {@code image_url} is either a data URL
 * ({@code data:image/png;base64,...}), written to a private temporary folder that {@link #close} deletes, or, only
 * when the server has an image root, a path or {@code file://} URL of a file inside that root. A path is refused
 * before the file system is touched when it leaves the root as written ({@code ..}, another absolute path), and
 * again when its real location (symbolic links followed) is outside the root's real location. Remote URLs are not
 * fetched. Every image is checked against the byte and pixel limits from its header before any pixel is decoded.
 */
final class ChatImages implements AutoCloseable {
    private final ServeSettings settings;
    private final Path temporaryRoot;
    private Path folder;
    private final List<Path> images = new ArrayList<>();

    ChatImages(ServeSettings settings, Path temporaryRoot) {
        this.settings = settings;
        this.temporaryRoot = temporaryRoot;
    }

    /** The images added so far, in order. */
    List<Path> files() {
        return List.copyOf(images);
    }

    /** Adds the image an {@code image_url} names; {@code param} names it in errors (e.g. {@code messages[1].content[0]}). */
    void add(String url, String param) {
        Path file = url.regionMatches(true, 0, "data:", 0, 5) ? fromDataUrl(url, param) : fromRoot(url, param);
        checkLimits(file, param);
        images.add(file);
    }

    private Path fromDataUrl(String url, String param) {
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
        if (comma < 0 || !header.endsWith(";base64") || !header.startsWith("image/")) {
            throw ApiError.invalid(param, "a data URL must look like data:image/<format>;base64,<data>");
        }
        long encoded = url.length() - comma - 1L;
        if (encoded / 4 * 3 > settings.maxImageBytes()) {
            throw ApiError.invalid(param, "the image is larger than the limit of " + settings.maxImageBytes() + " bytes");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(url.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(param, "the data URL is not valid base64: " + e.getMessage());
        }
        try {
            if (folder == null) folder = Files.createTempDirectory(temporaryRoot, "request-");
            Path file = Files.createTempFile(folder, "image-", ".bin");
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store an uploaded image: " + e.getMessage(), e);
        }
    }

    private Path fromRoot(String url, String param) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            throw ApiError.invalid(param, "remote image URLs are not fetched; send the image as a data URL");
        }
        if (settings.imageRoot() == null) {
            throw ApiError.forbiddenImage(param, "this server reads no image files (start it with --image-root); "
                    + "send the image as a data URL");
        }
        Path root = settings.imageRoot();
        Path asked;
        try {
            asked = lower.startsWith("file:") ? Path.of(new URI(url)) : Path.of(url);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw ApiError.invalid(param, "not a data URL, file path or file:// URL: " + e.getMessage());
        }
        Path resolved = root.resolve(asked).normalize();
        if (!resolved.startsWith(root)) throw outside(param, url);
        Path real;
        try {
            real = resolved.toRealPath();
        } catch (NoSuchFileException e) {
            throw ApiError.invalid(param, "no image " + url + " under the image root");
        } catch (IOException e) {
            throw ApiError.invalid(param, "cannot read image " + url + ": " + e.getMessage());
        }
        if (!real.startsWith(root)) throw outside(param, url);
        if (!Files.isRegularFile(real)) throw ApiError.invalid(param, url + " is not a file");
        return real;
    }

    private static ApiError outside(String param, String url) {
        return ApiError.forbiddenImage(param, "image " + url + " is outside the server's image root");
    }

    private void checkLimits(Path file, String param) {
        try {
            if (Files.size(file) > settings.maxImageBytes()) {
                throw ApiError.invalid(param, "the image is larger than the limit of " + settings.maxImageBytes() + " bytes");
            }
            ImageDimensions size = ImageLoader.dimensions(file);
            if ((long) size.width() * size.height() > settings.maxImagePixels()) {
                throw ApiError.invalid(param, "the image of " + size + " pixels is larger than the limit of "
                        + settings.maxImagePixels() + " pixels");
            }
        } catch (ImageLoadException e) {
            throw ApiError.invalid(param, e.getMessage().replace(file.toString(), param));
        } catch (IOException e) {
            throw ApiError.invalid(param, "cannot read the image: " + e.getMessage());
        }
    }

    /** Deletes the uploaded images. */
    @Override
    public void close() {
        if (folder == null) return;
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) Files.deleteIfExists(file);
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // the server's temporary root is deleted at shutdown anyway
        }
    }
}
