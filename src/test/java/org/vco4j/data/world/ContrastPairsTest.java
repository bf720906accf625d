package org.vco4j.data.world;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.SampleWriter;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ContrastPairsTest {
    @TempDir
    static Path dir;
    static WorldSettings settings;
    static Map<String, Scene> scenes = new HashMap<>();
    static Map<String, Scene> contrastScenes = new HashMap<>();
    static List<Sample> samples;
    static Path images;

    @BeforeAll
    static void build() throws IOException {
        settings = WorldSettings.of(21, 60, 64, 0.8, 0.25);
        Path world = dir.resolve("world");
        List<Scene> all = WorldGenerator.generate(settings, world, false);
        all.forEach(s -> scenes.put(s.id(), s));
        Path file = dir.resolve("contrast.jsonl");
        images = dir.resolve("contrast-images");
        ContrastPairs.Result result = ContrastPairs.build(world, settings, all, 4, file, images);
        result.contrastScenes().forEach(s -> contrastScenes.put(s.id(), s));
        SampleWriter.write(file, result.samples());
        samples = SampleReader.read(file);
        assertEquals(result.samples(), samples);
    }

    @Test
    void everyTypeGivesDifferentResponsesTrueOfTheirImages() throws IOException {
        Map<ContrastType, Integer> seen = new HashMap<>();
        for (Sample sample : samples) {
            ContrastType type = ContrastType.valueOf(sample.contrast().toUpperCase());
            seen.merge(type, 1, Integer::sum);
            Scene scene = scenes.get(sample.id().substring(0, sample.id().indexOf('/')));
            Scene edited = contrastScenes.get(scene.id() + "-" + type.label());
            assertEquals(Captions.describe(scene.objects()), sample.responses().get(0), sample.id());
            assertEquals(Captions.describe(edited.objects()), sample.responses().get(1), sample.id());
            assertNotEquals(sample.responses().get(0), sample.responses().get(1));
            assertEquals(Captions.DESCRIBE_PROMPT, sample.prompt());
            assertTrue(Layout.valid(edited.objects(), 64), sample.id());
            assertEditIs(type, scene.objects(), edited.objects(), sample.id());

            RgbImage m = ImageLoader.load(sample.image());
            RgbImage mPrime = ImageLoader.load(sample.contrastImage().orElseThrow());
            assertEquals(images.resolve(edited.image()), sample.contrastImage().orElseThrow());
            if (type == ContrastType.POSITION) {
                for (int y = 0; y < 64; y++) {
                    for (int x = 0; x < 64; x++) {
                        for (int c = 0; c < 3; c++) assertEquals(m.get(x, y, c), mPrime.get(63 - x, y, c), sample.id());
                    }
                }
            } else {
                assertEquals(SceneRenderer.render(edited.objects(), 64), mPrime, sample.id());
            }
            for (SceneObject o : edited.objects()) {
                Color expected = SceneRenderer.COLORS.get(o.color());
                assertEquals(expected.getRGB() & 0xFFFFFF, rgb(mPrime, o.x(), o.y()), sample.id() + ": " + o + " is drawn in m'");
            }
        }
        // Every scene admits an object and an attribute edit, nearly every one a count edit (a full image may have
        // no room for one more and no shape to take one from); a mirror says nothing new when no object or group
        // is on one side only.
        assertEquals(scenes.size(), seen.get(ContrastType.OBJECT), seen.toString());
        assertEquals(scenes.size(), seen.get(ContrastType.ATTRIBUTE), seen.toString());
        assertTrue(seen.get(ContrastType.COUNT) >= scenes.size() * 0.95, seen.toString());
        assertTrue(seen.get(ContrastType.POSITION) >= scenes.size() * 0.8, seen.toString());
    }

    @Test
    void masksCoverExactlyTheDifferingWords() {
        for (Sample sample : samples) {
            if (sample.masks().isEmpty()) continue;
            List<String> keptY = unmasked(sample.responses().get(0), sample.masks().get(0));
            List<String> keptYPrime = unmasked(sample.responses().get(1), sample.masks().get(1));
            assertEquals(keptY, keptYPrime, sample.id() + ": the unmasked words are shared");
            // Nothing shared is masked: what stays is a longest common word sequence.
            assertEquals(commonLength(words(sample.responses().get(0)), words(sample.responses().get(1))), keptY.size(), sample.id());
            if (sample.contrast().equals("position")) {
                for (int i = 0; i < 2; i++) {
                    String text = sample.responses().get(i);
                    sample.masks().get(i).forEach(s -> assertTrue(List.of("left", "right").contains(text.substring(s.start(), s.end())), sample.id()));
                }
            }
        }
        assertTrue(samples.stream().filter(s -> !s.masks().isEmpty()).count() >= samples.size() * 0.95);
    }

    private static void assertEditIs(ContrastType type, List<SceneObject> before, List<SceneObject> after, String id) {
        switch (type) {
            case OBJECT, ATTRIBUTE -> {
                assertEquals(before.size(), after.size(), id);
                List<Integer> changed = new ArrayList<>();
                for (int i = 0; i < before.size(); i++) if (!before.get(i).equals(after.get(i))) changed.add(i);
                assertEquals(1, changed.size(), id);
                SceneObject a = before.get(changed.get(0));
                SceneObject b = after.get(changed.get(0));
                assertEquals(List.of(a.x(), a.y(), a.region()), List.of(b.x(), b.y(), b.region()), id);
                int differences = (a.shape().equals(b.shape()) ? 0 : 1) + (a.color().equals(b.color()) ? 0 : 1)
                        + (a.size().equals(b.size()) ? 0 : 1);
                assertEquals(1, differences, id);
                assertEquals(type == ContrastType.OBJECT, !a.shape().equals(b.shape()), id);
            }
            case COUNT -> {
                assertEquals(1, Math.abs(before.size() - after.size()), id);
                List<SceneObject> larger = new ArrayList<>(before.size() > after.size() ? before : after);
                List<SceneObject> smaller = before.size() > after.size() ? after : before;
                smaller.forEach(o -> assertTrue(larger.remove(o), id));
                String shape = larger.get(0).shape();
                assertTrue(smaller.stream().anyMatch(o -> o.shape().equals(shape)), id + ": the count of a present shape changes");
            }
            case POSITION -> {
                assertEquals(before.size(), after.size(), id);
                for (int i = 0; i < before.size(); i++) assertEquals(Layout.mirrored(before.get(i), 64), after.get(i), id);
            }
        }
    }

    private static int rgb(RgbImage image, int x, int y) {
        return image.get(x, y, 0) << 16 | image.get(x, y, 1) << 8 | image.get(x, y, 2);
    }

    private static List<String> words(String text) {
        return WordDiff.words(text).stream().map(s -> text.substring(s.start(), s.end())).toList();
    }

    private static List<String> unmasked(String text, List<org.vco4j.data.Span> mask) {
        List<String> kept = new ArrayList<>();
        for (org.vco4j.data.Span word : WordDiff.words(text)) {
            boolean masked = mask.stream().anyMatch(s -> s.start() < word.end() && word.start() < s.end());
            if (!masked) kept.add(text.substring(word.start(), word.end()));
        }
        return kept;
    }

    /** Longest common subsequence length, by the textbook recursion over prefixes. */
    private static int commonLength(List<String> a, List<String> b) {
        int[][] table = new int[a.size() + 1][b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                table[i][j] = a.get(i - 1).equals(b.get(j - 1)) ? table[i - 1][j - 1] + 1 : Math.max(table[i - 1][j], table[i][j - 1]);
            }
        }
        return table[a.size()][b.size()];
    }
}
