package org.vco4j.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Replaces a file all at once: the content goes to a temporary file in the same folder, is forced
 * to disk, then renamed over the target. Readers see the old file or the complete new one, never a
 * prefix, and a failure removes the temporary file and leaves the target as it was.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Writes the content of a file to an open channel. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface StreamContent {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /** Replaces {@code target} with these bytes. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, channel -> {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer);
        });
    }

    /** Replaces {@code target} with what {@code content} writes to a (buffered) stream. */
    public static void writeStream(Path target, StreamContent content) throws IOException {
        write(target, channel -> {
            OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel));
            content.writeTo(out);
            out.flush();
        });
    }

    /**
     * Fails unless {@code target} can be written as a file: it is not a folder, and no file stands where its
     * folder would be. Commands call it before their expensive part, so a bad output path costs nothing.
     *
     * @throws IllegalArgumentException naming the path and what is wrong with it
     */
    public static void checkTarget(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(target + " is a folder; give the path of a file to write");
        }
        for (Path folder = absolute.getParent(); folder != null; folder = folder.getParent()) {
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                throw new IllegalArgumentException(target + ": " + folder + " is a file, not a folder");
            }
            if (Files.isDirectory(folder)) break;
        }
    }

    /** Replaces {@code target} with what {@code content} writes to the channel; creates missing folders. */
    public static void write(Path target, Content content) throws IOException {
        checkTarget(target);
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        Path temporary = createTemporary(folder, absolute.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            try {
                // On POSIX systems rename(2) atomically replaces an existing target.
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot atomically replace " + absolute + " on this file system", e);
            }
            moved = true;
            syncFolder(folder);
        } finally {
            if (!moved) Files.deleteIfExists(temporary);
        }
    }

    /**
     * A new hidden file next to the target. Created with CREATE_NEW rather than
     * {@code Files.createTempFile}, which would make it (and so the final file) owner-only.
     */
    private static Path createTemporary(Path folder, String targetName) throws IOException {
        while (true) {
            byte[] suffix = new byte[6];
            RANDOM.nextBytes(suffix);
            Path candidate = folder.resolve("." + targetName + "." + HexFormat.of().formatHex(suffix) + ".tmp");
            try {
                Files.newByteChannel(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return candidate;
            } catch (FileAlreadyExistsException e) {
                // Vanishingly unlikely with 48 random bits; try another name.
            }
        }
    }

    /** Makes the rename itself durable; not every platform can open a folder for this, hence best effort. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The data is already on disk; only the rename's durability across a power cut is at stake.
        }
    }
}
