package org.vco4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Image paths in data files: relative to the data file's folder, and never outside it. */
public final class DataPaths {
    private DataPaths() {}

    /**
     * Resolves {@code relative} against the folder of {@code dataFile}.
     *
     * @param where names the place for errors, e.g. {@code data.jsonl:12: field "images"[1]}
     */
    public static Path resolveImage(Path dataFile, String relative, String where) {
        if (relative == null || relative.isBlank()) throw new IllegalArgumentException(where + ": empty image path");
        Path root = dataFile.toAbsolutePath().normalize().getParent();
        Path given = Path.of(relative);
        if (given.isAbsolute()) {
            throw new IllegalArgumentException(where + ": image path '" + relative
                    + "' is absolute; paths must be relative to the data file's folder " + root);
        }
        Path resolved = root.resolve(given).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalArgumentException(where + ": image path '" + relative + "' escapes the data folder " + root);
        }
        // A symbolic link inside the folder may still point outside it.
        if (Files.exists(resolved)) {
            try {
                if (!resolved.toRealPath().startsWith(root.toRealPath())) {
                    throw new IllegalArgumentException(where + ": image path '" + relative
                            + "' links outside the data folder " + root);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": cannot resolve image path '" + relative + "': " + e.getMessage(), e);
            }
        }
        return resolved;
    }

    /** {@code FILE.summary.json} beside {@code FILE.jsonl}: what a builder or importer did, for people and scripts. */
    public static Path summaryBeside(Path dataFile) {
        String name = dataFile.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return dataFile.resolveSibling(stem + ".summary.json");
    }
}
