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
 * applies ({@link Question}) and existence questions in one of two ways ({@link #PRIOR_CARRYING_SHARE}): prior-neutral
 * (every object kind the scene shows is asked there, "yes", and of a random scene that lacks it, "no", so no question
 * text leans either way) or in POPE's balance within the scene, where most "yes" questions name typical colours — the
 * prior a model can answer from without looking. {@link #twoImage} pairs each scene with another and asks one question
 * whose answers differ, as a contrastive tuple {@code (m, m', x, y, y')} for two-image contexts ({@code y|M,x^} and
 * {@code y'|M,x^'}).
 */
public final class WorldSft {
    public static final String SOURCE = "synthetic-world";
    /** Existence questions answered "yes" per prior-carrying scene, and as many answered "no" (POPE's balance within a scene). */
    public static final int EXISTENCE_PER_ANSWER = 2;
    /**
     * Share of training scenes whose existence questions carry the colour prior ({@link #existence}); the others are
     * asked prior-neutral ones. With none the demo's base looks but has no prior for POPE's adversarial split to catch;
     * with all it answers from the prior alone (docs/world.md has the measurements).
     */
    public static final double PRIOR_CARRYING_SHARE = 0.5;

    private final WorldSettings settings;
    private final Function<Scene, Path> imageOf;

    /** @param imageOf the absolute path of a scene's image */
    public WorldSft(WorldSettings settings, Function<Scene, Path> imageOf) {
        this.settings = settings;
        this.imageOf = imageOf;
    }

    /** Single-image samples per scene: describe, exists, color, count, position. */
    public List<Sample> singleImage(List<Scene> scenes, RandomGenerator random) {
        List<Sample> samples = new ArrayList<>();
        Map<Scene, List<Question>> absentAsked = new LinkedHashMap<>();
        for (Scene scene : scenes) {
            List<SceneObject> objects = scene.objects();
            List<Question> questions = new ArrayList<>();
            questions.add(Question.describe());
            if (random.nextDouble() < PRIOR_CARRYING_SHARE) {
                questions.addAll(existence(objects, random));
            } else {
                for (Question q : presentKinds(objects)) {
                    questions.add(q);
                    absentAsked.computeIfAbsent(lacking(q, scenes, random), s -> new ArrayList<>()).add(q);
                }
            }
            List<String> present = objects.stream().map(SceneObject::shape).distinct().toList();
            List<String> single = present.stream().filter(s -> scene.withShape(s).size() == 1).toList();
            if (!single.isEmpty()) questions.add(Question.colorOf(pick(single, random)));
            questions.add(Question.countOf(pick(present, random)));
            if (!single.isEmpty()) questions.add(Question.positionOf(pick(single, random)));
            Map<String, Integer> asked = new LinkedHashMap<>();
            for (Question q : questions) {
                String answer = q.answer(objects).orElseThrow();
                int n = asked.merge(q.kind(), 1, Integer::sum);
                samples.add(new Sample(scene.id() + "/" + q.kind() + (n > 1 ? "-" + n : ""), List.of(imageOf.apply(scene)), q.prompt(),
                        List.of(answer), List.of(), List.of(), null, SOURCE, null));
            }
        }
        absentAsked.forEach((scene, questions) -> {
            for (int i = 0; i < questions.size(); i++) {
                samples.add(new Sample(scene.id() + "/exists-absent" + (i > 0 ? "-" + (i + 1) : ""), List.of(imageOf.apply(scene)),
                        questions.get(i).prompt(), List.of("no"), List.of(), List.of(), null, SOURCE, null));
            }
        });
        return samples;
    }

    /** Each object kind (colour × shape) in the scene once, as an existence question. */
    private static List<Question> presentKinds(List<SceneObject> objects) {
        List<Question> present = new ArrayList<>();
        for (SceneObject o : objects) {
            Question q = Question.exists(o.color(), o.shape());
            if (!present.contains(q)) present.add(q);
        }
        return present;
    }

    /** A random scene that lacks the object kind the question asks about (answer "no"). */
    private static Scene lacking(Question q, List<Scene> scenes, RandomGenerator random) {
        List<Scene> candidates = scenes.stream().filter(s -> q.answer(s.objects()).orElseThrow().equals("no")).toList();
        return pick(candidates, random);
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

    /**
     * Existence questions in POPE's balance: up to {@value #EXISTENCE_PER_ANSWER} present kinds (answer yes) and as
     * many absent ones (no). An absent kind is, with even chance, a trap when the scene has one left — a present
     * shape in its typical colour, which the scene paints otherwise — and otherwise drawn uniformly.
     */
    private List<Question> existence(List<SceneObject> objects, RandomGenerator random) {
        List<Question> present = presentKinds(objects);
        List<Question> yes = new ArrayList<>();
        while (yes.size() < EXISTENCE_PER_ANSWER && !present.isEmpty()) yes.add(present.remove(random.nextInt(present.size())));
        List<Question> traps = new ArrayList<>();
        for (String shape : objects.stream().map(SceneObject::shape).distinct().toList()) {
            String typical = settings.typicalColor(shape);
            if (objects.stream().noneMatch(o -> o.shape().equals(shape) && o.color().equals(typical))) {
                traps.add(Question.exists(typical, shape));
            }
        }
        List<Question> absent = new ArrayList<>();
        for (String shape : WorldVocabulary.SHAPES) {
            for (String color : WorldVocabulary.COLORS) {
                Question q = Question.exists(color, shape);
                if (q.answer(objects).orElseThrow().equals("no")) absent.add(q);
            }
        }
        List<Question> no = new ArrayList<>();
        while (no.size() < yes.size()) {
            boolean trap = !traps.isEmpty() && random.nextBoolean();
            Question q = trap ? traps.remove(random.nextInt(traps.size())) : absent.get(random.nextInt(absent.size()));
            absent.remove(q);
            traps.remove(q);
            no.add(q);
        }
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < yes.size(); i++) {
            questions.add(yes.get(i));
            questions.add(no.get(i));
        }
        return questions;
    }

    /**
     * The existence questions of the base's first stage: every colour × shape is asked of a scene with a chance that
     * depends on its answer and on each of its two words separately ({@link #lean}), so that "yes" is more likely after
     * some words than others. Across a balanced set ({@link #singleImage}) an existence answer depends on the image and
     * both words only jointly: a product with no first-order term, on which gradient descent from a random model does not
     * move (the answer stays at ln 2 and ignores its inputs). Here each word alone already tells something about the
     * answer, so the model learns to carry both words to the answer position. (Whether it then looks for them in the
     * image depends on the next stage's questions: {@link #PRIOR_CARRYING_SHARE}; docs/world.md.)
     */
    public List<Sample> existenceScaffold(List<Scene> scenes, RandomGenerator random) {
        List<Sample> samples = new ArrayList<>();
        for (int pass = 0; pass < SCAFFOLD_PASSES; pass++) {
            for (Scene scene : scenes) {
                for (String color : WorldVocabulary.COLORS) {
                    for (String shape : WorldVocabulary.SHAPES) {
                        Question q = Question.exists(color, shape);
                        boolean present = q.answer(scene.objects()).orElseThrow().equals("yes");
                        int lean = lean(WorldVocabulary.COLORS.indexOf(color)) + lean(WorldVocabulary.SHAPES.indexOf(shape));
                        double[] chance = SCAFFOLD_CHANCE.get(lean); // {asked when present, asked when absent}
                        if (random.nextDouble() < chance[present ? 0 : 1]) {
                            samples.add(new Sample(scene.id() + "/exists-" + color + "-" + shape + "-" + pass,
                                    List.of(imageOf.apply(scene)), q.prompt(), List.of(present ? "yes" : "no"),
                                    List.of(), List.of(), null, SOURCE, null));
                        }
                    }
                }
            }
        }
        return samples;
    }

    /** Passes over the scenes in {@link #existenceScaffold}. */
    static final int SCAFFOLD_PASSES = 2;
    /** Lean of a question (sum of its words' leans) → chance it is asked when its object is present, and when absent. */
    static final Map<Integer, double[]> SCAFFOLD_CHANCE = Map.of(2, new double[] {1.0, 0.02}, 0, new double[] {0.5, 0.05},
            -2, new double[] {0.1, 0.2});

    /** A word's lean towards "yes" in {@link #existenceScaffold}: +1 for every other word of the vocabulary, −1 for the rest. */
    static int lean(int vocabularyIndex) {
        return vocabularyIndex % 2 == 0 ? 1 : -1;
    }

    private static <T> T pick(List<T> items, RandomGenerator random) {
        return items.get(random.nextInt(items.size()));
    }
}
