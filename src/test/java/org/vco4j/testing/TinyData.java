package org.vco4j.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small training files in the sample schema, with real PNGs beside them. */
public final class TinyData {
    private static final String[][] OBJECTS = {
            {"red", "circle"}, {"blue", "square"}, {"green", "circle"}, {"yellow", "square"},
            {"purple", "circle"}, {"orange", "square"}};

    private TinyData() {}

    /**
     * {@code count} minimal-contrast tuples: image m shows one coloured shape, m' another; y and y' describe
     * them, with masks over the words that differ.
     */
    public static Path contrastTuples(Path dir, int count) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] a = OBJECTS[i % OBJECTS.length];
            String[] b = OBJECTS[(i + 1) % OBJECTS.length];
            String m = "images/m" + i + ".png";
            String mPrime = "images/n" + i + ".png";
            TinyWorld.writeImage(dir.resolve(m), color(a[0]), a[1].equals("circle"));
            TinyWorld.writeImage(dir.resolve(mPrime), color(b[0]), b[1].equals("circle"));
            String y = "There is a " + a[0] + " " + a[1] + ".";
            String yPrime = "There is a " + b[0] + " " + b[1] + ".";
            ObjectNode line = json.createObjectNode().put("id", "s" + i);
            line.putArray("images").add(m).add(mPrime);
            line.put("prompt", "Describe the image.");
            line.putArray("responses").add(y).add(yPrime);
            line.put("contrast", "object");
            int start = "There is a ".length();
            var masks = line.putArray("masks");
            masks.addArray().addArray().add(start).add(y.length() - 1);
            masks.addArray().addArray().add(start).add(yPrime.length() - 1);
            lines.add(json.writeValueAsString(line));
        }
        Path file = dir.resolve("train.jsonl");
        Files.write(file, lines);
        return file;
    }

    private static Color color(String name) {
        return switch (name) {
            case "red" -> Color.RED;
            case "blue" -> Color.BLUE;
            case "green" -> Color.GREEN;
            case "yellow" -> Color.YELLOW;
            case "purple" -> new Color(128, 0, 128);
            default -> Color.ORANGE;
        };
    }
}
