package org.vco4j.eval;

import org.vco4j.data.world.Scene;
import org.vco4j.data.world.SceneObject;
import org.vco4j.data.world.Scenes;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A hand-made world folder: 32×32 PNGs drawn with Java2D and their scenes.jsonl. The training half paints every
 * circle red and every square blue, so the prior is known: eval scene e1's circle is blue, against the prior.
 */
final class TestWorld {
    static final int SIZE = 32;
    static final Map<String, Color> PALETTE = Map.of("red", new Color(220, 30, 30), "green", new Color(30, 170, 60),
            "blue", new Color(40, 60, 220), "yellow", new Color(240, 210, 30), "purple", new Color(140, 40, 170),
            "orange", new Color(250, 140, 20));

    private TestWorld() {}

    static SceneObject object(String shape, String color, String size, int x, int y) {
        return new SceneObject(shape, color, size, x, y, x < SIZE / 2 ? "left" : "right");
    }

    static List<Scene> scenes() {
        List<Scene> scenes = new ArrayList<>();
        scenes.add(scene("t1", "train", object("circle", "red", "small", 8, 16), object("square", "blue", "large", 23, 16)));
        scenes.add(scene("t2", "train", object("circle", "red", "large", 9, 12), object("triangle", "green", "small", 24, 20)));
        scenes.add(scene("t3", "train", object("circle", "red", "small", 24, 10), object("square", "blue", "small", 8, 22)));
        scenes.add(scene("t4", "train", object("square", "blue", "large", 9, 16), object("star", "yellow", "small", 24, 16),
                object("heart", "purple", "small", 24, 26), object("cross", "orange", "small", 20, 6)));
        scenes.add(scene("e1", "eval", object("circle", "blue", "small", 8, 10), object("square", "blue", "large", 23, 21)));
        scenes.add(scene("e2", "eval", object("circle", "red", "large", 9, 16), object("triangle", "green", "small", 24, 16)));
        scenes.add(scene("e3", "eval", object("star", "yellow", "large", 8, 16), object("square", "red", "small", 24, 16)));
        scenes.add(scene("e4", "eval", object("heart", "purple", "large", 9, 16)));
        scenes.add(scene("e5", "eval", object("circle", "green", "small", 8, 8), object("cross", "orange", "large", 23, 20)));
        return scenes;
    }

    static Scene scene(String id, String split, SceneObject... objects) {
        return new Scene(id, "images/" + id + ".png", split, List.of(objects));
    }

    /** Writes the world into {@code folder} and returns it. */
    static Path write(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("images"));
        List<Scene> scenes = scenes();
        for (Scene scene : scenes) ImageIO.write(draw(scene), "png", folder.resolve(scene.image()).toFile());
        Scenes.write(folder, scenes);
        return folder;
    }

    static BufferedImage draw(Scene scene) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SIZE, SIZE);
        for (SceneObject o : scene.objects()) {
            g.setColor(PALETTE.get(o.color()));
            int r = o.size().equals("large") ? 5 : 3;
            int x = o.x();
            int y = o.y();
            switch (o.shape()) {
                case "circle" -> g.fillOval(x - r, y - r, 2 * r + 1, 2 * r + 1);
                case "square" -> g.fillRect(x - r, y - r, 2 * r + 1, 2 * r + 1);
                case "triangle" -> g.fillPolygon(new Polygon(new int[] {x - r, x + r, x}, new int[] {y + r, y + r, y - r}, 3));
                case "star", "heart" -> g.fillPolygon(new Polygon(new int[] {x, x + r, x, x - r}, new int[] {y - r, y, y + r, y}, 4));
                default -> {
                    g.fillRect(x - r, y - 1, 2 * r + 1, 3);
                    g.fillRect(x - 1, y - r, 3, 2 * r + 1);
                }
            }
        }
        g.dispose();
        return image;
    }
}
