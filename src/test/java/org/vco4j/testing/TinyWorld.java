package org.vco4j.testing;

import org.vco4j.model.ModelFamilies;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny checkpoints and images written once per test JVM, in the real formats. */
public final class TinyWorld {
    private static Path root;

    private TinyWorld() {}

    /** A folder holding tiny checkpoints and a few PNGs, created on first use and deleted at JVM exit. */
    public static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("vco4j-test-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root)));
                ModelFamilies.named("llava").writeTiny(root.resolve("tiny"), "tiny", 11, false);
                ModelFamilies.named("llava").writeTiny(root.resolve("tiny-legacy"), "tiny", 11, true);
                writeImage(root.resolve("red-circle.png"), Color.RED, true);
                writeImage(root.resolve("blue-square.png"), Color.BLUE, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    public static Path checkpoint() {
        return root().resolve("tiny");
    }

    public static Path legacyCheckpoint() {
        return root().resolve("tiny-legacy");
    }

    public static Path redCircle() {
        return root().resolve("red-circle.png");
    }

    public static Path blueSquare() {
        return root().resolve("blue-square.png");
    }

    /** A 48×40 picture of one shape (not square, so resizing and cropping are exercised). */
    public static void writeImage(Path file, Color color, boolean circle) throws IOException {
        BufferedImage image = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 48, 40);
        g.setColor(color);
        if (circle) g.fillOval(10, 8, 24, 24);
        else g.fillRect(12, 8, 22, 22);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void deleteQuietly(Path path) {
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
