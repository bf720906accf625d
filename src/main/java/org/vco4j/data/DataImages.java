package org.vco4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a data file's images inside its folder, as the format requires: an image already inside is used as is,
 * one outside is copied into a folder of the caller's choice (inside the data folder) under a name made unique
 * by its source path, once.
 */
public final class DataImages {
    private final Path dataFolder;
    private final Path copies;

    /** @param dataFile the JSONL file to be written; @param copies where outside images go, inside its folder */
    public DataImages(Path dataFile, Path copies) {
        this.dataFolder = dataFile.toAbsolutePath().normalize().getParent();
        this.copies = copies.toAbsolutePath().normalize();
        if (!this.copies.startsWith(dataFolder)) {
            throw new IllegalArgumentException(copies + " is not inside the data folder " + dataFolder);
        }
    }

    /** {@code FILE-images/} beside {@code FILE.jsonl}: where builders put the images a data file names. */
    public static Path folderBeside(Path dataFile) {
        Path absolute = dataFile.toAbsolutePath().normalize();
        String name = absolute.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return absolute.resolveSibling(stem + "-images");
    }

    /** The image itself when it lies inside the data folder, else its copy there. */
    public Path inside(Path image) throws IOException {
        Path absolute = image.toAbsolutePath().normalize();
        if (absolute.startsWith(dataFolder)) return absolute;
        String name = absolute.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        Path copy = copies.resolve(stem + "-" + String.format("%08x", (int) SeededHash.of(0, absolute.toString())) + extension);
        if (!Files.exists(copy)) {
            Files.createDirectories(copies);
            Path temporary = Files.createTempFile(copies, "." + copy.getFileName(), ".tmp");
            Files.copy(absolute, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, copy, StandardCopyOption.ATOMIC_MOVE);
        }
        return copy;
    }

    /** The sample with every image inside the data folder. */
    public Sample relocate(Sample sample) throws IOException {
        List<Path> images = new ArrayList<>();
        for (Path image : sample.images()) images.add(inside(image));
        return new Sample(sample.id(), images, sample.prompt(), sample.responses(), sample.rejected(), sample.masks(),
                sample.contrast(), sample.source(), sample.augmentation());
    }
}
