package org.vco4j.data.world;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class WorldGeneratorTest {
    @TempDir
    Path dir;

    @Test
    void theSameSeedWritesTheSameFilesAndAnotherSeedOthers() throws IOException {
        WorldSettings settings = WorldSettings.of(5, 40, 64, 0.8, 0.25);
        WorldGenerator.generate(settings, dir.resolve("a"), false);
        WorldGenerator.generate(settings, dir.resolve("b"), false);
        WorldGenerator.generate(WorldSettings.of(6, 40, 64, 0.8, 0.25), dir.resolve("c"), false);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir.resolve("a"))) {
            files = walk.filter(Files::isRegularFile).map(dir.resolve("a")::relativize).sorted().toList();
        }
        assertEquals(40 + 5, files.size(), files.toString());
        for (Path file : files) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(file)), Files.readAllBytes(dir.resolve("b").resolve(file)), file.toString());
        }
        assertNotEquals(Files.readString(dir.resolve("a/scenes.jsonl")), Files.readString(dir.resolve("c/scenes.jsonl")));
        assertEquals(settings, WorldSettings.read(dir.resolve("a")));

        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> WorldGenerator.generate(settings, dir.resolve("a"), false));
        assertTrue(again.getMessage().contains("overwrite"), again.getMessage());
        WorldGenerator.generate(WorldSettings.of(5, 10, 64, 0.8, 0.25), dir.resolve("a"), true);
        try (Stream<Path> images = Files.list(dir.resolve("a/images"))) {
            assertEquals(10, images.count(), "a replaced world keeps no stale images");
        }
    }

    @Test
    void scenesAreValidLayoutsDrawnWhereTheGroundTruthSays() throws IOException {
        WorldSettings settings = WorldSettings.of(11, 30, 64, 0.8, 0.25);
        List<Scene> scenes = WorldGenerator.generate(settings, dir, false);
        assertEquals(scenes, Scenes.read(dir));
        assertEquals(Math.round(0.25 * 30), scenes.stream().filter(s -> s.split().equals("eval")).count());
        for (Scene scene : scenes) {
            assertTrue(scene.objects().size() >= 1 && scene.objects().size() <= 4, scene.toString());
            assertTrue(Layout.valid(scene.objects(), 64), scene.toString());
            RgbImage image = ImageLoader.load(dir.resolve(scene.image()));
            assertEquals(64, image.width());
            assertEquals(64, image.height());
            for (SceneObject o : scene.objects()) {
                // A star's and a cross's centre pixel is filled too, so the centre shows the object's colour exactly.
                Color expected = SceneRenderer.COLORS.get(o.color());
                assertEquals(expected.getRed(), image.get(o.x(), o.y(), 0), scene.id() + " " + o);
                assertEquals(expected.getGreen(), image.get(o.x(), o.y(), 1), scene.id() + " " + o);
                assertEquals(expected.getBlue(), image.get(o.x(), o.y(), 2), scene.id() + " " + o);
            }
            assertEquals(SceneRenderer.BACKGROUND.getRed(), image.get(32, 0, 0), "the midline's top edge is background");
        }
    }

    @Test
    void thePriorSkewsColoursAndCounts() {
        for (double prior : new double[] {0.8, 0.3}) {
            List<Scene> scenes = WorldGenerator.scenes(WorldSettings.of(3, 1200, 64, prior, 0.25));
            WorldSettings settings = WorldSettings.of(3, 1200, 64, prior, 0.25);
            long objects = scenes.stream().mapToLong(s -> s.objects().size()).sum();
            long typical = scenes.stream().flatMap(s -> s.objects().stream())
                    .filter(o -> o.color().equals(settings.typicalColor(o.shape()))).count();
            assertEquals(prior, (double) typical / objects, 0.035, "typical colour share at prior " + prior);
            // Each shape's count: the typical one (one) with probability prior, except where only one more fits.
            long groups = 0;
            long single = 0;
            for (Scene scene : scenes) {
                for (String shape : scene.objects().stream().map(SceneObject::shape).distinct().toList()) {
                    groups++;
                    if (scene.withShape(shape).size() == 1) single++;
                }
            }
            double share = (double) single / groups;
            assertTrue(share >= prior - 0.03 && share <= prior + 0.15, "count-one share " + share + " at prior " + prior);
        }
    }

    @Test
    void sftSamplesAnswerTheirQuestionsByTheGroundTruth() throws IOException {
        List<Scene> scenes = WorldGenerator.generate(WorldSettings.of(9, 80, 64, 0.8, 0.25), dir, false);
        Map<String, Scene> byId = byId(scenes);
        Map<String, Question> byPrompt = byPrompt();

        List<Sample> single = SampleReader.read(dir.resolve(WorldGenerator.SFT_FILE));
        int yes = 0;
        int no = 0;
        for (Sample sample : single) {
            Scene scene = byId.get(sample.id().substring(0, sample.id().indexOf('/')));
            assertEquals("train", scene.split());
            assertEquals(dir.resolve(scene.image()).toAbsolutePath().normalize(), sample.image());
            Question q = byPrompt.get(sample.prompt());
            assertNotNull(q, sample.prompt());
            assertEquals(q.answer(scene.objects()).orElseThrow(), sample.responses().get(0), sample.id());
            if (q.kind().equals("exists")) {
                if (sample.responses().get(0).equals("yes")) yes++;
                else no++;
            }
        }
        assertTrue(Math.abs(yes - no) <= 1, yes + " yes, " + no + " no");
        assertEquals(60, single.stream().filter(s -> s.id().endsWith("/describe")).count());

        List<Sample> pairs = SampleReader.read(dir.resolve(WorldGenerator.SFT_PAIRS_FILE));
        assertEquals(60, pairs.size());
        for (Sample pair : pairs) {
            String[] ids = pair.id().substring(0, pair.id().indexOf('/')).split("\\+");
            Question q = byPrompt.get(pair.prompt());
            assertEquals(q.answer(byId.get(ids[0]).objects()).orElseThrow(), pair.responses().get(0), pair.id());
            assertEquals(q.answer(byId.get(ids[1]).objects()).orElseThrow(), pair.responses().get(1), pair.id());
            assertEquals("train", byId.get(ids[1]).split());
        }
    }

    @Test
    void halfTheScenesAskExistencePriorNeutrallyAndHalfCarryTheColourPrior() throws IOException {
        List<Scene> scenes = WorldGenerator.generate(WorldSettings.of(9, 400, 64, 0.8, 0.25), dir, false);
        WorldSettings settings = WorldSettings.read(dir);
        Map<String, Scene> byId = byId(scenes);
        Map<String, Question> byPrompt = byPrompt();
        int[] typical = new int[2], other = new int[2]; // {yes, asked} by whether the question names the shape's typical colour
        Map<String, Boolean> asksNoItself = new HashMap<>(); // scene → whether one of its own existence questions is answered "no"
        List<Sample> existence = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Sample sample : SampleReader.read(dir.resolve(WorldGenerator.SFT_FILE))) {
            assertTrue(ids.add(sample.id()), "duplicate id " + sample.id());
            Question q = byPrompt.get(sample.prompt());
            if (!q.kind().equals("exists")) continue;
            existence.add(sample);
            String scene = sceneOf(sample);
            boolean yes = sample.responses().get(0).equals("yes");
            assertEquals(q.answer(byId.get(scene).objects()).orElseThrow(), sample.responses().get(0), sample.id());
            int[] byColour = q.color().equals(settings.typicalColor(q.shape())) ? typical : other;
            byColour[0] += yes ? 1 : 0;
            byColour[1]++;
            if (!sample.id().contains("/exists-absent")) asksNoItself.merge(scene, !yes, Boolean::logicalOr);
        }
        // A prior-neutral scene asks "yes" of each kind it shows, and each is asked "no" of one scene lacking it.
        Map<String, int[]> neutral = new HashMap<>(); // question → {yes in its own scene, no in another}
        for (Sample sample : existence) {
            boolean mirrored = sample.id().contains("/exists-absent");
            if (mirrored || !asksNoItself.get(sceneOf(sample))) neutral.computeIfAbsent(sample.prompt(), p -> new int[2])[mirrored ? 1 : 0]++;
        }
        neutral.forEach((prompt, c) -> assertEquals(c[0], c[1], prompt + ": asked yes and no equally often"));
        long neutralScenes = asksNoItself.values().stream().filter(no -> !no).count();
        int trainScenes = (int) scenes.stream().filter(s -> s.split().equals("train")).count();
        double neutralShare = neutralScenes / (double) trainScenes;
        assertTrue(Math.abs(neutralShare - (1 - WorldSft.PRIOR_CARRYING_SHARE)) < 0.1, "prior-neutral share " + neutralShare);
        // Overall the typical colour still leans towards "yes": the prior that POPE's adversarial split tests.
        double typicalYes = typical[0] / (double) typical[1], otherYes = other[0] / (double) other[1];
        assertTrue(typicalYes > otherYes + 0.2, typicalYes + " vs " + otherYes);
    }

    @Test
    void theExistenceScaffoldsWordsEachLeanTowardsAnAnswerThatStillFollowsTheImage() throws IOException {
        List<Scene> scenes = WorldGenerator.generate(WorldSettings.of(9, 200, 64, 0.8, 0.25), dir, false);
        Map<String, Scene> byId = byId(scenes);
        Map<String, Question> byPrompt = byPrompt();
        // yes and asked counts by each word alone
        Map<String, int[]> byWord = new HashMap<>();
        List<Sample> scaffold = SampleReader.read(dir.resolve(WorldGenerator.SFT_EXISTENCE_FILE));
        assertFalse(scaffold.isEmpty());
        for (Sample sample : scaffold) {
            Scene scene = byId.get(sample.id().substring(0, sample.id().indexOf('/')));
            assertEquals("train", scene.split());
            Question q = byPrompt.get(sample.prompt());
            assertEquals("exists", q.kind(), sample.prompt());
            String answer = sample.responses().get(0);
            assertEquals(q.answer(scene.objects()).orElseThrow(), answer, sample.id());
            for (String word : List.of(q.color(), q.shape())) {
                int[] counts = byWord.computeIfAbsent(word, w -> new int[2]);
                counts[0] += answer.equals("yes") ? 1 : 0;
                counts[1]++;
            }
        }
        // Every word leaning towards yes is answered yes more often than every word leaning towards no: a first-order
        // signal in each word, which the balanced questions of sft.jsonl do not have.
        for (List<String> vocabulary : List.of(WorldVocabulary.COLORS, WorldVocabulary.SHAPES)) {
            double lowestYesLeaning = 1, highestNoLeaning = 0;
            for (int i = 0; i < vocabulary.size(); i++) {
                int[] c = byWord.get(vocabulary.get(i));
                double yesRate = c[0] / (double) c[1];
                if (WorldSft.lean(i) > 0) lowestYesLeaning = Math.min(lowestYesLeaning, yesRate);
                else highestNoLeaning = Math.max(highestNoLeaning, yesRate);
            }
            assertTrue(lowestYesLeaning > highestNoLeaning + 0.2, vocabulary + ": " + lowestYesLeaning + " vs " + highestNoLeaning);
        }
    }

    private static Map<String, Scene> byId(List<Scene> scenes) {
        Map<String, Scene> byId = new HashMap<>();
        scenes.forEach(s -> byId.put(s.id(), s));
        return byId;
    }

    private static Map<String, Question> byPrompt() {
        Map<String, Question> byPrompt = new HashMap<>();
        Question.all().forEach(q -> byPrompt.put(q.prompt(), q));
        return byPrompt;
    }

    private static String sceneOf(Sample sample) {
        return sample.id().substring(0, sample.id().indexOf('/'));
    }

    @Test
    void badSettingsAreRefusedByName() {
        assertThrows(IllegalArgumentException.class, () -> WorldSettings.of(1, 10, 24, 0.8, 0.25));
        IllegalArgumentException prior = assertThrows(IllegalArgumentException.class, () -> WorldSettings.of(1, 10, 64, 1.5, 0.25));
        assertTrue(prior.getMessage().startsWith("prior must be in [0, 1]"), prior.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WorldSettings.of(1, 10, 64, 0.8, 1.0));
    }

    @Test
    void companionsAppearTogetherUnderTheCooccurrencePrior() {
        double with = squaresBesideCircles(WorldGenerator.scenes(WorldSettings.of(2, 3000, 64, 0.8, 0.25, 0.8)));
        double without = squaresBesideCircles(WorldGenerator.scenes(WorldSettings.of(2, 3000, 64, 0.8, 0.25, 0.0)));
        // Without the prior another shape is one of five others (about 0.2, more with a third shape); with it, mostly the companion.
        assertTrue(with > 0.6, "with the prior: " + with);
        assertTrue(without > 0.1 && without < 0.35, "without: " + without);
    }

    /** Among scenes with a circle and another shape, the share that shows a square. */
    private static double squaresBesideCircles(List<Scene> scenes) {
        int circles = 0;
        int squares = 0;
        for (Scene scene : scenes) {
            if (!scene.containsShape("circle") || scene.objects().stream().allMatch(o -> o.shape().equals("circle"))) continue;
            circles++;
            if (scene.containsShape("square")) squares++;
        }
        return (double) squares / circles;
    }

    @Test
    void aWorldJsonWithoutTheCooccurrencePriorReadsAsNone() throws IOException {
        WorldSettings settings = WorldSettings.of(4, 10, 64, 0.8, 0.25);
        settings.write(dir);
        assertEquals(settings, WorldSettings.read(dir));
        assertEquals("square", settings.typicalCompanion("circle"));
        String json = Files.readString(dir.resolve(WorldSettings.FILE_NAME));
        String older = json.substring(0, json.indexOf(",\n  \"cooccurrence\"")) + "\n}\n";
        Files.writeString(dir.resolve(WorldSettings.FILE_NAME), older);
        WorldSettings read = WorldSettings.read(dir);
        assertEquals(0.0, read.cooccurrence());
        assertNull(read.typicalCompanion("circle"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new WorldSettings(1, 10, 64, 0.8, 0.25,
                WorldSettings.DEFAULT_TYPICAL_COLORS, "one", 0.8, null));
        assertTrue(missing.getMessage().contains("typical_companions"), missing.getMessage());
    }
}
