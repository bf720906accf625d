package org.vco4j.data.imports;

import org.vco4j.data.SeededHash;
import org.vco4j.model.image.ImageLoadException;
import org.vco4j.model.image.ImageLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Puts a dataset's images where vco4j's sample format needs them, inside the output file's folder, and checks
 * each once (its header: format and size). An image already inside that folder is used in place. Any other goes
 * to {@code FILE-images/} beside the output, keeping its path under the images folder: as a <em>hard link</em>
 * when the file system allows it (no copy and no extra space, and the data reader sees a regular file inside its
 * folder; a symbolic link would point outside the folder, which the reader refuses), else, or with
 * {@code copy}, as a copy. Images embedded as bytes are written as files named by their content's SHA-256.
 *
 * <p>Files go to a staging folder that becomes {@code FILE-images/} only when the whole import succeeded; the
 * paths returned are the final ones.
 */
final class ImagePlacement {
    /** How many images were used in place, linked, copied and written from embedded bytes. */
    record Counts(int inPlace, int linked, int copied, int embedded) {}

    private final Path imagesFolder;
    private final Path dataFolder;
    private final Path target;
    private final Path staging;
    private final boolean copy;
    private final Map<Path, Path> placed = new HashMap<>();
    private final Map<String, Path> embedded = new HashMap<>();
    private int inPlace;
    private int linked;
    private int copied;

    /**
     * @param imagesFolder where relative image paths start
     * @param dataFile     the JSONL file to be written
     * @param target       the images folder beside it ({@code FILE-images/})
     * @param staging      where the files go until the import succeeds
     * @param copy         copy images even where a hard link is possible
     */
    ImagePlacement(Path imagesFolder, Path dataFile, Path target, Path staging, boolean copy) {
        this.imagesFolder = imagesFolder.toAbsolutePath().normalize();
        this.dataFolder = dataFile.toAbsolutePath().normalize().getParent();
        this.target = target.toAbsolutePath().normalize();
        this.staging = staging;
        this.copy = copy;
        if (!Files.isDirectory(this.imagesFolder)) throw new IllegalArgumentException("option --images: " + imagesFolder + " is not a folder");
        if (this.imagesFolder.startsWith(this.target)) {
            throw new IllegalArgumentException("option --images: " + imagesFolder + " lies inside " + target + ", which the import replaces");
        }
    }

    /** The final path of the record's image. */
    Path place(SourceRecord record, ImageSource source) throws IOException {
        return source.bytes() != null ? write(record, source) : link(record, source);
    }

    Counts counts() {
        return new Counts(inPlace, linked, copied, embedded.size());
    }

    private Path link(SourceRecord record, ImageSource source) throws IOException {
        Path given = Path.of(source.path());
        Path file = (given.isAbsolute() ? given : imagesFolder.resolve(given)).normalize();
        Path done = placed.get(file);
        if (done != null) return done;
        if (!given.isAbsolute() && !file.startsWith(imagesFolder)) {
            throw record.error(source.field(), "image path '" + source.path() + "' escapes the images folder " + imagesFolder);
        }
        if (!Files.isRegularFile(file)) {
            throw record.error(source.field(), "image file '" + source.path() + "' does not exist (" + file + ")");
        }
        check(record, source, file);
        Path real = file.toRealPath();
        Path result;
        if (file.startsWith(target)) {
            throw record.error(source.field(), "image " + file + " lies inside " + target + ", which the import replaces");
        } else if (file.startsWith(dataFolder) && real.startsWith(dataFolder.toRealPath())) {
            inPlace++;
            result = file;
        } else {
            Path relative = file.startsWith(imagesFolder) ? imagesFolder.relativize(file) : Path.of("external", external(file));
            Path staged = staging.resolve(relative.toString());
            Files.createDirectories(staged.getParent());
            if (copy || !hardLink(staged, real)) {
                Files.copy(real, staged, StandardCopyOption.COPY_ATTRIBUTES);
                copied++;
            } else {
                linked++;
            }
            result = target.resolve(relative.toString());
        }
        placed.put(file, result);
        return result;
    }

    private static boolean hardLink(Path link, Path existing) {
        try {
            Files.createLink(link, existing);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // another file system, or links not supported: copy instead
        }
    }

    private Path write(SourceRecord record, ImageSource source) throws IOException {
        String name = sha256(source.bytes()) + extension(source.bytes());
        Path done = embedded.get(name);
        if (done != null) return done;
        Path staged = staging.resolve("embedded").resolve(name);
        Files.createDirectories(staged.getParent());
        Files.write(staged, source.bytes());
        check(record, source, staged);
        Path result = target.resolve("embedded").resolve(name);
        embedded.put(name, result);
        return result;
    }

    private static void check(SourceRecord record, ImageSource source, Path file) {
        try {
            ImageLoader.checkHeader(file);
        } catch (ImageLoadException e) {
            throw record.error(source.field(), "image '" + source + "': " + e.getMessage());
        }
    }

    /** A name for an image outside the images folder: its own, made unique by its path. */
    private static String external(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return stem + "-" + String.format("%08x", (int) SeededHash.of(0, file.toString())) + (dot > 0 ? name.substring(dot) : "");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The file extension the bytes' signature names; the header check then refuses what cannot be read. */
    private static String extension(byte[] b) {
        if (b.length >= 4 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return ".png";
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) return ".jpg";
        if (b.length >= 3 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') return ".gif";
        if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') return ".bmp";
        return ".img";
    }
}
