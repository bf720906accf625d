package org.vco4j.eval;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.data.world.Scene;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.processing.VlmProcessor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CHAIR on the synthetic world: a greedy caption per image ("Describe the image."), its object mentions checked
 * against the scene. Metrics: {@code chair/chair_s} (captions with any hallucinated mention), {@code chair/chair_i}
 * (hallucinated mentions / mentions; NaN when nothing was mentioned), {@code chair/coverage} (scene objects
 * named), the same under {@code chair/attribute/} for colour-and-shape matching, and
 * {@code chair/mentions_per_caption}, {@code chair/captions}.
 */
public final class Chair {
    /** One generated caption and its score. */
    public record Caption(String scene, String caption, List<String> mentions, ChairScore score) {}

    private final Generator generator;
    private final Path worldFolder;
    private final List<Scene> scenes;
    private final int maxNewTokens;

    public Chair(VisionLanguageModel model, VlmProcessor processor, Path worldFolder, List<Scene> scenes, int maxNewTokens) {
        this.generator = new Generator(model, processor);
        this.worldFolder = worldFolder;
        this.scenes = List.copyOf(scenes);
        this.maxNewTokens = maxNewTokens;
    }

    public EvalResult run(EvalProgress progress) {
        List<Caption> captions = new ArrayList<>();
        progress.update("chair", 0, scenes.size());
        for (Scene scene : scenes) {
            String text;
            try (PointerScope scope = new PointerScope()) {
                text = generator.generate(WorldQuestions.withImage(worldFolder.resolve(scene.image()), WorldQuestions.DESCRIBE),
                        GenerationConfig.greedy(maxNewTokens)).text();
            }
            List<Mention> mentions = CaptionMentions.parse(text);
            captions.add(new Caption(scene.id(), text, mentions.stream().map(Mention::toString).toList(), ChairScore.of(mentions, scene)));
            progress.update("chair", captions.size(), scenes.size());
        }
        return new EvalResult("chair", metrics(captions.stream().map(Caption::score).toList()), captions);
    }

    public static Map<String, Double> metrics(List<ChairScore> scores) {
        ChairScore total = new ChairScore(0, 0, 0, 0, 0, 0);
        int objectSentences = 0;
        int attributeSentences = 0;
        for (ChairScore score : scores) {
            total = total.plus(score);
            if (score.hallucinatedObjects() > 0) objectSentences++;
            if (score.hallucinatedAttributes() > 0) attributeSentences++;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("chair/chair_s", BinaryCounts.ratio(objectSentences, scores.size()));
        metrics.put("chair/chair_i", BinaryCounts.ratio(total.hallucinatedObjects(), total.mentions()));
        metrics.put("chair/coverage", BinaryCounts.ratio(total.coveredObjects(), total.objects()));
        metrics.put("chair/attribute/chair_s", BinaryCounts.ratio(attributeSentences, scores.size()));
        metrics.put("chair/attribute/chair_i", BinaryCounts.ratio(total.hallucinatedAttributes(), total.mentions()));
        metrics.put("chair/attribute/coverage", BinaryCounts.ratio(total.coveredAttributes(), total.objects()));
        metrics.put("chair/mentions_per_caption", BinaryCounts.ratio(total.mentions(), scores.size()));
        metrics.put("chair/captions", (double) scores.size());
        return metrics;
    }
}
