package org.vco4j.eval;

import org.vco4j.data.world.Scene;
import org.vco4j.data.world.SceneObject;

import java.awt.image.BufferedImage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Makes minimal-contrast counterparts of world images by editing their pixels, so that everything but the one
 * changed attribute stays exactly as the world rendered it: recolouring one object, or mirroring the picture
 * (which moves every object to the other side).
 */
public final class ContrastRenderer {
    /** Smallest painted area taken as the object; fewer pixels means the scene's coordinates missed it. */
    private static final int MIN_OBJECT_PIXELS = 3;

    private final WorldPalette palette;

    public ContrastRenderer(WorldPalette palette) {
        this.palette = palette;
    }

    /** The picture flipped left to right. */
    public static BufferedImage mirror(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) out.setRGB(image.getWidth() - 1 - x, y, image.getRGB(x, y));
        }
        return out;
    }

    /**
     * The picture with object {@code index} repainted in {@code newColor}, or empty when the colour is not in the
     * palette or the object's pixels cannot be found at its centre.
     *
     * <p>The object is the connected area of near-source-colour pixels around its centre, kept within the part of
     * the picture nearer to its centre than to any other object's (so touching objects of the same colour stay
     * apart). Its pixels shift by (new − old colour), which keeps any shading; the one-pixel rim of anti-aliased
     * edge pixels shifts in proportion to how much of the object colour it holds against the background.
     */
    public Optional<BufferedImage> recolor(BufferedImage image, Scene scene, int index, String newColor) {
        SceneObject object = scene.objects().get(index);
        int width = image.getWidth();
        int height = image.getHeight();
        Optional<int[]> target = palette.rgb(newColor);
        if (target.isEmpty() || object.x() < 0 || object.y() < 0 || object.x() >= width || object.y() >= height) return Optional.empty();
        int[] source = WorldPalette.unpack(image.getRGB(object.x(), object.y()));
        int[] background = background(image);
        int tolerance = tolerance(source, object.color(), background);

        boolean[] region = new boolean[width * height];
        int size = 0;
        Deque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {object.x(), object.y()});
        region[object.y() * width + object.x()] = true;
        while (!queue.isEmpty()) {
            int[] p = queue.poll();
            size++;
            int[][] neighbours = {{p[0] + 1, p[1]}, {p[0] - 1, p[1]}, {p[0], p[1] + 1}, {p[0], p[1] - 1}};
            for (int[] n : neighbours) {
                if (n[0] < 0 || n[1] < 0 || n[0] >= width || n[1] >= height || region[n[1] * width + n[0]]) continue;
                if (!nearest(scene, index, n[0], n[1])) continue;
                if (distance(WorldPalette.unpack(image.getRGB(n[0], n[1])), source) > tolerance) continue;
                region[n[1] * width + n[0]] = true;
                queue.add(n);
            }
        }
        if (size < MIN_OBJECT_PIXELS) return Optional.empty();

        int[] shift = {target.get()[0] - source[0], target.get()[1] - source[1], target.get()[2] - source[2]};
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] rgb = WorldPalette.unpack(image.getRGB(x, y));
                double amount = region[y * width + x] ? 1 : rimAmount(region, width, height, x, y, rgb, source, background)
                        * (nearest(scene, index, x, y) ? 1 : 0);
                out.setRGB(x, y, pack(rgb, shift, amount));
            }
        }
        return Optional.of(out);
    }

    /** For a pixel touching the region: how much of the source colour it holds, by projection onto background→source. */
    private static double rimAmount(boolean[] region, int width, int height, int x, int y, int[] rgb, int[] source, int[] background) {
        boolean touches = false;
        for (int dy = -1; dy <= 1 && !touches; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx;
                int ny = y + dy;
                if (nx >= 0 && ny >= 0 && nx < width && ny < height && region[ny * width + nx]) {
                    touches = true;
                    break;
                }
            }
        }
        if (!touches) return 0;
        double dot = 0;
        double norm = 0;
        for (int c = 0; c < 3; c++) {
            dot += (rgb[c] - background[c]) * (double) (source[c] - background[c]);
            norm += (source[c] - background[c]) * (double) (source[c] - background[c]);
        }
        return norm == 0 ? 0 : Math.max(0, Math.min(1, dot / norm));
    }

    /** Whether (x, y) is at least as near to object {@code index}'s centre as to any other object's. */
    private static boolean nearest(Scene scene, int index, int x, int y) {
        SceneObject own = scene.objects().get(index);
        long ownDistance = squared(own, x, y);
        for (int i = 0; i < scene.objects().size(); i++) {
            if (i != index && squared(scene.objects().get(i), x, y) < ownDistance) return false;
        }
        return true;
    }

    private static long squared(SceneObject object, int x, int y) {
        long dx = object.x() - x;
        long dy = object.y() - y;
        return dx * dx + dy * dy;
    }

    /** Half the way to the nearest other colour the object could be confused with, at least a little for noise. */
    private int tolerance(int[] source, String ownColor, int[] background) {
        int nearest = distance(source, background);
        for (String color : palette.colors()) {
            if (!color.equals(ownColor)) nearest = Math.min(nearest, distance(source, palette.rgb(color).orElseThrow()));
        }
        return Math.max(8, nearest / 2);
    }

    /** The most frequent colour along the picture's border. */
    static int[] background(BufferedImage image) {
        Map<Integer, Integer> counts = new HashMap<>();
        int width = image.getWidth();
        int height = image.getHeight();
        for (int x = 0; x < width; x++) {
            counts.merge(image.getRGB(x, 0) & 0xffffff, 1, Integer::sum);
            counts.merge(image.getRGB(x, height - 1) & 0xffffff, 1, Integer::sum);
        }
        for (int y = 0; y < height; y++) {
            counts.merge(image.getRGB(0, y) & 0xffffff, 1, Integer::sum);
            counts.merge(image.getRGB(width - 1, y) & 0xffffff, 1, Integer::sum);
        }
        int best = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        return WorldPalette.unpack(best);
    }

    private static int distance(int[] a, int[] b) {
        return Math.max(Math.abs(a[0] - b[0]), Math.max(Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2])));
    }

    private static int pack(int[] rgb, int[] shift, double amount) {
        int r = clamp(rgb[0] + (int) Math.round(shift[0] * amount));
        int g = clamp(rgb[1] + (int) Math.round(shift[1] * amount));
        int b = clamp(rgb[2] + (int) Math.round(shift[2] * amount));
        return (r << 16) | (g << 8) | b;
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }
}
