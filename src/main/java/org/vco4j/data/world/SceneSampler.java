package org.vco4j.data.world;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws the objects of one scene with the world's language prior. A scene holds one to four objects of one to
 * three shapes: the first shape always, each further one with probability {@value #ANOTHER_SHAPE} while room is
 * left; a further shape is the previous one's typical companion with probability {@code cooccurrence} (when the
 * companion is not in the scene yet), otherwise any shape not in the scene yet. A shape appears the typical
 * number of times with probability {@code prior}, otherwise 2–4 times (as
 * room allows; with room for one only, once). Each object takes its shape's typical colour with probability
 * {@code prior}, otherwise one of the five others; size and region are even draws.
 */
public final class SceneSampler {
    /** Chance of one more shape while the scene has room. */
    public static final double ANOTHER_SHAPE = 0.45;
    public static final int MAX_OBJECTS = 4;
    private static final int LAYOUT_ATTEMPTS = 1000;

    private final WorldSettings settings;

    public SceneSampler(WorldSettings settings) {
        this.settings = settings;
    }

    /** The objects of one scene. */
    public List<SceneObject> sample(RandomGenerator random) {
        List<String> shapes = new ArrayList<>(WorldVocabulary.SHAPES);
        List<String> plan = new ArrayList<>();
        int kinds = 0;
        String previous = null;
        do {
            String companion = previous == null ? null : settings.typicalCompanion(previous);
            String shape;
            if (companion != null && shapes.contains(companion) && random.nextDouble() < settings.cooccurrence()) {
                shape = companion;
                shapes.remove(companion);
            } else {
                shape = shapes.remove(random.nextInt(shapes.size()));
            }
            previous = shape;
            int count = count(random, MAX_OBJECTS - plan.size());
            for (int i = 0; i < count; i++) plan.add(shape);
            kinds++;
        } while (plan.size() < MAX_OBJECTS && kinds < 3 && random.nextDouble() < ANOTHER_SHAPE);

        List<String> colors = new ArrayList<>();
        List<String> sizes = new ArrayList<>();
        for (String shape : plan) {
            colors.add(color(shape, random));
            sizes.add(WorldVocabulary.SIZES.get(random.nextInt(2)));
        }
        // Placement can paint itself into a corner (three large objects in one half); start over when it does.
        for (int attempt = 0; attempt < LAYOUT_ATTEMPTS; attempt++) {
            List<SceneObject> placed = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                var object = Layout.place(plan.get(i), colors.get(i), sizes.get(i), placed, settings.imageSize(), random);
                if (object.isEmpty()) break;
                placed.add(object.get());
            }
            if (placed.size() == plan.size()) return placed;
        }
        throw new IllegalStateException("no layout found for " + plan + " in " + settings.imageSize() + " pixels");
    }

    private int count(RandomGenerator random, int room) {
        int typical = Math.min(settings.typicalCountValue(), room);
        if (room == 1 || random.nextDouble() < settings.prior()) return typical;
        List<Integer> others = new ArrayList<>();
        for (int n = 1; n <= Math.min(room, MAX_OBJECTS); n++) if (n != typical) others.add(n);
        return others.get(random.nextInt(others.size()));
    }

    private String color(String shape, RandomGenerator random) {
        String typical = settings.typicalColor(shape);
        if (random.nextDouble() < settings.prior()) return typical;
        List<String> others = WorldVocabulary.COLORS.stream().filter(c -> !c.equals(typical)).toList();
        return others.get(random.nextInt(others.size()));
    }
}
