package org.vco4j.eval;

import org.vco4j.data.world.Scene;
import org.vco4j.data.world.SceneObject;
import org.vco4j.data.world.WorldVocabulary;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The RGB the world paints each colour word with, read off its own images (the median pixel at the centres of
 * objects of that colour) rather than assumed, so recoloured contrast images match whatever the world renders.
 */
public final class WorldPalette {
    /** Enough centres per colour for a stable median; reading more images would only cost time. */
    private static final int SAMPLES_PER_COLOR = 25;

    private final Map<String, int[]> rgb;

    private WorldPalette(Map<String, int[]> rgb) {
        this.rgb = rgb;
    }

    public static WorldPalette estimate(Path worldFolder, List<Scene> scenes) throws IOException {
        Map<String, List<int[]>> samples = new HashMap<>();
        for (Scene scene : scenes) {
            boolean needed = scene.objects().stream().anyMatch(o -> samples.getOrDefault(o.color(), List.of()).size() < SAMPLES_PER_COLOR);
            if (!needed) continue;
            BufferedImage image = read(worldFolder.resolve(scene.image()));
            for (SceneObject object : scene.objects()) {
                if (object.x() < 0 || object.y() < 0 || object.x() >= image.getWidth() || object.y() >= image.getHeight()) continue;
                List<int[]> list = samples.computeIfAbsent(object.color(), c -> new ArrayList<>());
                if (list.size() < SAMPLES_PER_COLOR) list.add(unpack(image.getRGB(object.x(), object.y())));
            }
        }
        Map<String, int[]> rgb = new LinkedHashMap<>();
        for (String color : WorldVocabulary.COLORS) {
            List<int[]> list = samples.get(color);
            if (list != null && !list.isEmpty()) rgb.put(color, median(list));
        }
        return new WorldPalette(rgb);
    }

    /** A palette given explicitly. */
    public static WorldPalette of(Map<String, int[]> rgb) {
        Map<String, int[]> copy = new LinkedHashMap<>();
        rgb.forEach((color, value) -> copy.put(color, value.clone()));
        return new WorldPalette(copy);
    }

    /** The colour's RGB, empty when no object of that colour was seen. */
    public Optional<int[]> rgb(String color) {
        return Optional.ofNullable(rgb.get(color)).map(int[]::clone);
    }

    /** Colours with a known RGB, in vocabulary order. */
    public Set<String> colors() {
        return rgb.keySet();
    }

    static BufferedImage read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) throw new IOException(file + ": not an image ImageIO can read");
        return image;
    }

    static int[] unpack(int argb) {
        return new int[] {(argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff};
    }

    private static int[] median(List<int[]> values) {
        int[] out = new int[3];
        for (int channel = 0; channel < 3; channel++) {
            final int c = channel;
            int[] column = values.stream().mapToInt(v -> v[c]).toArray();
            Arrays.sort(column);
            out[channel] = column[column.length / 2];
        }
        return out;
    }
}
