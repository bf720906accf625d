package org.vco4j.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Files for data tests: PNGs of seeded noise and JSONL written from single-quoted JSON. */
public final class TestData {
    private TestData() {}

    /** A {@code width x height} PNG of noise drawn from {@code seed}. */
    public static Path png(Path file, int width, int height, long seed) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) image.setRGB(x, y, random.nextInt(1 << 24));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer");
        return file;
    }

    /** JSON written with single quotes for readability in Java source; the text holds no apostrophes. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** Writes {@code lines} (single-quoted JSON) to {@code file}, one per line. */
    static Path jsonl(Path file, String... lines) throws IOException {
        Files.write(file, List.of(lines).stream().map(TestData::json).toList(), StandardCharsets.UTF_8);
        return file;
    }

    /** A tuple sample with two images that exist in {@code folder}. */
    public static Sample tuple(Path folder, String id) throws IOException {
        return Sample.contrastive(id, png(folder.resolve(id + "-m.png"), 4, 4, 1), png(folder.resolve(id + "-m2.png"), 4, 4, 2),
                "What colour is the ball?", "The ball is red.", "The ball is blue.");
    }
}
