package org.vco4j.data.world;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Where objects may go in a square image of a given side. An object occupies the box of half-width
 * {@link #halfExtent} around the centre of its pixel {@code (x, y)} (centre {@code x + 0.5}), lies wholly inside
 * its half of the image with a margin (so its region is unambiguous and survives a mirror flip), and keeps a gap
 * of {@value #GAP} pixels to every other object's box.
 */
public final class Layout {
    /** Pixels kept free between two objects' boxes, between a box and the midline, and at the border. */
    public static final int GAP = 2;
    private static final double SMALL = 0.11;
    private static final double LARGE = 0.17;
    private static final int ATTEMPTS = 200;

    private Layout() {}

    /** Half the side of an object's box, in pixels. */
    public static double halfExtent(String size, int imageSize) {
        return (size.equals("small") ? SMALL : LARGE) * imageSize;
    }

    /** True when the object lies inside its region with the margins above. */
    public static boolean fits(SceneObject o, int imageSize) {
        double r = halfExtent(o.size(), imageSize);
        double cx = o.x() + 0.5;
        double cy = o.y() + 0.5;
        double half = imageSize / 2.0;
        boolean horizontal = o.region().equals("left")
                ? cx - r >= GAP / 2.0 && cx + r <= half - GAP / 2.0
                : cx - r >= half + GAP / 2.0 && cx + r <= imageSize - GAP / 2.0;
        return horizontal && cy - r >= GAP / 2.0 && cy + r <= imageSize - GAP / 2.0;
    }

    /** True when the two objects' boxes are at least {@value #GAP} pixels apart in x or in y. */
    public static boolean apart(SceneObject a, SceneObject b, int imageSize) {
        double reach = halfExtent(a.size(), imageSize) + halfExtent(b.size(), imageSize) + GAP;
        return Math.abs(a.x() - b.x()) >= reach || Math.abs(a.y() - b.y()) >= reach;
    }

    /** True when every object fits and every two are apart. */
    public static boolean valid(List<SceneObject> objects, int imageSize) {
        for (int i = 0; i < objects.size(); i++) {
            if (!fits(objects.get(i), imageSize)) return false;
            for (int j = 0; j < i; j++) if (!apart(objects.get(i), objects.get(j), imageSize)) return false;
        }
        return true;
    }

    /** A random free place for a new object in a random region, or empty when none was found. */
    public static Optional<SceneObject> place(String shape, String color, String size, List<SceneObject> others,
                                              int imageSize, RandomGenerator random) {
        return place(shape, color, size, null, others, imageSize, random);
    }

    /** A random free place for a new object in {@code region} (null: a random region per attempt), or empty. */
    public static Optional<SceneObject> place(String shape, String color, String size, String region,
                                              List<SceneObject> others, int imageSize, RandomGenerator random) {
        double r = halfExtent(size, imageSize);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String side = region != null ? region : random.nextBoolean() ? "left" : "right";
            // Integer centres whose box satisfies fits(): cx - r >= GAP/2 with cx = x + 0.5, and so on.
            int low = (int) Math.ceil(GAP / 2.0 + r - 0.5);
            int high = (int) Math.floor(imageSize / 2.0 - GAP / 2.0 - r - 0.5);
            int yHigh = (int) Math.floor(imageSize - GAP / 2.0 - r - 0.5);
            if (high < low) return Optional.empty();
            int x = low + random.nextInt(high - low + 1);
            if (side.equals("right")) x = imageSize - 1 - x;
            int y = low + random.nextInt(yHigh - low + 1);
            SceneObject candidate = new SceneObject(shape, color, size, x, y, side);
            if (others.stream().allMatch(o -> apart(o, candidate, imageSize))) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The object as it appears in the horizontally mirrored image: pixel column x goes to side − 1 − x. */
    public static SceneObject mirrored(SceneObject o, int imageSize) {
        return new SceneObject(o.shape(), o.color(), o.size(), imageSize - 1 - o.x(), o.y(),
                o.region().equals("left") ? "right" : "left");
    }
}
