package org.vco4j.data.world;

import org.vco4j.data.Sample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Supervised data from a world's scenes. {@link #singleImage} asks each scene one question of each kind that
 * applies ({@link Question}); existence questions alternate yes and no, and half of the no's name the shape's
 * typical colour when the shape is present in another colour — the question a prior-trusting model gets wrong.
 * {@link #twoImage} pairs each scene with another and asks one question whose answers differ, as a contrastive
 * tuple {@code (m, m', x, y, y')} for two-image contexts ({@code y|M,x^} and {@code y'|M,x^'}).
 */
public final class WorldSft {
    public static final String SOURCE = "synthetic-world";

    private final WorldSettings settings;
    private final Function<Scene, Path> imageOf;

    /** @param imageOf the absolute path of a scene's image */
    public WorldSft(WorldSettings settings, Function<Scene, Path> imageOf) {
        this.settings = settings;
        this.imageOf = imageOf;
    }

    /** Up to five single-image samples per scene: describe, exists, color, count, position. */
    public List<Sample> singleImage(List<Scene> scenes, RandomGenerator random) {
        List<Sample> samples = new ArrayList<>();
        int existenceAsked = 0;
        for (Scene scene : scenes) {
            List<SceneObject> objects = scene.objects();
            List<Question> questions = new ArrayList<>();
            questions.add(Question.describe());
            questions.add(existence(objects, existenceAsked++ % 2 == 0, random));
            List<String> present = objects.stream().map(SceneObject::shape).distinct().toList();
            List<String> single = present.stream().filter(s -> scene.withShape(s).size() == 1).toList();
            if (!single.isEmpty()) questions.add(Question.colorOf(pick(single, random)));
            questions.add(Question.countOf(pick(present, random)));
            if (!single.isEmpty()) questions.add(Question.positionOf(pick(single, random)));
            for (Question q : questions) {
                String answer = q.answer(objects).orElseThrow();
                samples.add(new Sample(scene.id() + "/" + q.kind(), List.of(imageOf.apply(scene)), q.prompt(),
                        List.of(answer), List.of(), List.of(), null, SOURCE, null));
            }
        }
        return samples;
    }

    /** One two-image tuple per scene, with a random partner scene and a question whose answers differ. */
    public List<Sample> twoImage(List<Scene> scenes, RandomGenerator random) {
        List<Sample> samples = new ArrayList<>();
        if (scenes.size() < 2) return samples;
        List<Question> all = Question.all();
        for (int i = 0; i < scenes.size(); i++) {
            Scene scene = scenes.get(i);
            Scene partner = scenes.get((i + 1 + random.nextInt(scenes.size() - 1)) % scenes.size());
            Map<String, List<Question>> byKind = new LinkedHashMap<>();
            for (Question q : all) {
                Optional<String> y = q.answer(scene.objects());
                Optional<String> yPrime = q.answer(partner.objects());
                if (y.isPresent() && yPrime.isPresent() && !y.get().equals(yPrime.get())) {
                    byKind.computeIfAbsent(q.kind(), k -> new ArrayList<>()).add(q);
                }
            }
            if (byKind.isEmpty()) continue;
            List<String> kinds = new ArrayList<>(byKind.keySet());
            Question q = pick(byKind.get(pick(kinds, random)), random);
            samples.add(new Sample(scene.id() + "+" + partner.id() + "/" + q.kind(),
                    List.of(imageOf.apply(scene), imageOf.apply(partner)), q.prompt(),
                    List.of(q.answer(scene.objects()).orElseThrow(), q.answer(partner.objects()).orElseThrow()),
                    List.of(), List.of(), "scene", SOURCE, null));
        }
        return samples;
    }

    private Question existence(List<SceneObject> objects, boolean yes, RandomGenerator random) {
        if (yes) {
            SceneObject o = pick(objects, random);
            return Question.exists(o.color(), o.shape());
        }
        List<Question> traps = new ArrayList<>();
        for (String shape : objects.stream().map(SceneObject::shape).distinct().toList()) {
            String typical = settings.typicalColor(shape);
            if (objects.stream().noneMatch(o -> o.shape().equals(shape) && o.color().equals(typical))) {
                traps.add(Question.exists(typical, shape));
            }
        }
        if (!traps.isEmpty() && random.nextBoolean()) return pick(traps, random);
        List<Question> absent = new ArrayList<>();
        for (String shape : WorldVocabulary.SHAPES) {
            for (String color : WorldVocabulary.COLORS) {
                Question q = Question.exists(color, shape);
                if (q.answer(objects).orElseThrow().equals("no")) absent.add(q);
            }
        }
        return pick(absent, random);
    }

    private static <T> T pick(List<T> items, RandomGenerator random) {
        return items.get(random.nextInt(items.size()));
    }
}
