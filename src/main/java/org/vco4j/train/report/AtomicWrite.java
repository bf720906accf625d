package org.vco4j.train.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file all at once (a temporary file in the same folder, then an atomic rename), so a reader
 * of the report never sees half a Markdown file or a truncated PNG.
 */
final class AtomicWrite {
    private AtomicWrite() {}

    static void write(Path target, byte[] content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        Path temporary = null;
        try {
            // Not Files.createTempFile: it would make the file, and so the report, readable by its owner only.
            while (temporary == null) {
                Path candidate = folder.resolve("." + absolute.getFileName() + "."
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
                try (OutputStream out = Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    temporary = candidate;
                    out.write(content);
                } catch (FileAlreadyExistsException e) {
                    // Another name will do.
                }
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (temporary != null) Files.deleteIfExists(temporary);
        }
    }
}
