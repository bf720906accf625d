package org.vco4j.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Writes a folder (a checkpoint, an adapter) all at once: its files go to a hidden staging folder next
 * to the target, which is then renamed into place. A failure removes the staging folder and leaves the
 * target as it was, so readers never see half a checkpoint.
 *
 * <p>Replacing an existing folder takes two renames (the old one aside, the new one in) and only then
 * deletes the old one: a crash between them leaves the old folder under a hidden name, never a mix.
 */
public final class AtomicFolder {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Fills the staging folder. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path folder) throws IOException;
    }

    private AtomicFolder() {}

    /**
     * @param replace whether an existing, non-empty {@code target} may be replaced; an empty one always may
     * @throws IllegalArgumentException when {@code target} is a file, or a non-empty folder and {@code replace} is false
     */
    public static void write(Path target, boolean replace, Content content) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(target + " exists and is not a folder");
        }
        if (!replace && Files.isDirectory(absolute) && !isEmpty(absolute)) {
            throw new IllegalArgumentException(target + " exists and is not empty");
        }
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        String name = absolute.getFileName().toString();
        // Not Files.createTempDirectory: it makes the folder, and so the result, readable by its owner only.
        Path staging = Files.createDirectory(hiddenSibling(parent, name, "tmp"));
        try {
            content.writeTo(staging);
            if (Files.exists(absolute)) {
                Path old = hiddenSibling(parent, name, "old");
                Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
                Folders.deleteRecursively(old);
            } else {
                Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            if (Files.exists(staging)) Folders.deleteRecursively(staging);
        }
    }

    /**
     * Removes what writes interrupted by a kill left in {@code parent}: staging folders ({@code .NAME.HEX.tmp}),
     * and old folders ({@code .NAME.HEX.old}) whose replacement is in place. An old folder whose target is
     * missing (a kill between the two renames) is the last complete version: it is renamed back.
     *
     * @return the names of the hidden folders removed or renamed back
     */
    public static java.util.List<String> cleanUp(Path parent) throws IOException {
        java.util.List<String> cleaned = new java.util.ArrayList<>();
        if (!Files.isDirectory(parent)) return cleaned;
        java.util.List<Path> leftovers;
        try (Stream<Path> entries = Files.list(parent)) {
            leftovers = entries.filter(p -> LEFTOVER.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .sorted().toList();
        }
        for (Path leftover : leftovers) {
            java.util.regex.Matcher m = LEFTOVER.matcher(leftover.getFileName().toString());
            if (!m.matches()) continue;
            Path target = parent.resolve(m.group(1));
            if (m.group(2).equals("old") && !Files.exists(target)) {
                Files.move(leftover, target, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Folders.deleteRecursively(leftover);
            }
            cleaned.add(leftover.getFileName().toString());
        }
        return cleaned;
    }

    private static final java.util.regex.Pattern LEFTOVER = java.util.regex.Pattern.compile("\\.(.+)\\.[0-9a-f]{12}\\.(tmp|old)");

    private static Path hiddenSibling(Path parent, String name, String kind) {
        byte[] suffix = new byte[6];
        RANDOM.nextBytes(suffix);
        return parent.resolve("." + name + "." + HexFormat.of().formatHex(suffix) + "." + kind);
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

}
