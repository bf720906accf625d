package org.vco4j.data.world;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.SampleWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class HallucinationsTest {
    private final WorldSettings settings = WorldSettings.of(2, 400, 64, 0.8, 0.25);

    @Test
    void errorsChangeWhatTheirKindSaysAndMostlyFollowThePrior() {
        List<Scene> scenes = WorldGenerator.scenes(settings);
        SplittableRandom random = new SplittableRandom(8);
        Map<String, Integer> kinds = new HashMap<>();
        int followsPrior = 0;
        for (Scene scene : scenes) {
            Hallucinations.Hallucination h = Hallucinations.of(scene.objects(), settings, random).orElseThrow();
            kinds.merge(h.kind(), 1, Integer::sum);
            List<SceneObject> truth = scene.objects();
            List<SceneObject> wrong = h.objects();
            assertNotEquals(Captions.describe(truth), Captions.describe(wrong));
            switch (h.kind()) {
                case "color" -> assertOneChanged(truth, wrong, o -> o.shape() + o.size() + o.region(), scene.id());
                case "shape" -> assertOneChanged(truth, wrong, o -> o.color() + o.size() + o.region(), scene.id());
                case "position" -> assertOneChanged(truth, wrong, o -> o.shape() + o.color() + o.size(), scene.id());
                case "count" -> assertNotEquals(truth.size(), wrong.size(), scene.id());
                default -> fail(h.kind());
            }
            if (Hallucinations.followsPrior(truth, wrong, settings)) followsPrior++;
            // An object in an atypical colour is wrongly described in the typical colour, never in a third one.
            if (h.kind().equals("color")) {
                boolean anyAtypical = truth.stream().anyMatch(o -> !o.color().equals(settings.typicalColor(o.shape())));
                if (anyAtypical) assertTrue(Hallucinations.followsPrior(truth, wrong, settings), scene.id());
            }
        }
        assertEquals(4, kinds.size(), kinds.toString());
        assertTrue(followsPrior > scenes.size() * 0.4, followsPrior + " of " + scenes.size() + " errors follow the prior");
    }

    @Test
    void pairsAreWrittenAsPreferencePairsWithCopiedImages(@TempDir Path dir) throws IOException {
        List<Scene> scenes = WorldGenerator.generate(WorldSettings.of(2, 20, 64, 0.8, 0.25), dir.resolve("world"), false);
        Path file = dir.resolve("out/pairs.jsonl");
        List<Sample> pairs = HallucinationPairs.build(dir.resolve("world"), settings, scenes, 1, file, dir.resolve("out/pairs-images"));
        SampleWriter.write(file, pairs);
        List<Sample> read = SampleReader.read(file);
        assertEquals(20, read.size());
        for (Sample pair : read) {
            assertTrue(pair.image().startsWith(dir.resolve("out/pairs-images")), pair.image().toString());
            assertEquals(1, pair.rejected().size());
            assertTrue(Hallucinations.KINDS.contains(pair.contrast()));
        }
    }

    private static void assertOneChanged(List<SceneObject> truth, List<SceneObject> wrong,
                                         java.util.function.Function<SceneObject, String> kept, String id) {
        assertEquals(truth.size(), wrong.size(), id);
        int changed = 0;
        for (int i = 0; i < truth.size(); i++) {
            assertEquals(kept.apply(truth.get(i)), kept.apply(wrong.get(i)), id);
            if (!truth.get(i).equals(wrong.get(i))) changed++;
        }
        assertEquals(1, changed, id);
    }
}
