package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** CHAIR's caption reading (pattern.en singulars, COCO double words, synonyms), ground truth and metrics. */
class ChairBenchmarkTest {
    private static final CocoObjectWords WORDS = new CocoObjectWords();

    @Test
    void singularsFollowPatternEnWithItsQuirks() {
        Map<String, String> expected = Map.ofEntries(Map.entry("dogs", "dog"), Map.entry("glasses", "glass"), Map.entry("glass", "glas"),
                Map.entry("buses", "bus"), Map.entry("bus", "bu"), Map.entry("knives", "knife"), Map.entry("women", "woman"),
                Map.entry("people", "person"), Map.entry("children", "child"), Map.entry("cookies", "cookies"), Map.entry("skis", "ski"),
                Map.entry("scissors", "scissors"), Map.entry("sheep", "sheep"), Map.entry("mice", "mouse"), Map.entry("shelves", "shelve"), Map.entry("wolves", "wolf"),
                Map.entry("benches", "bench"), Map.entry("potatoes", "potato"), Map.entry("ties", "ty"), Map.entry("is", "is"),
                Map.entry("puppies", "puppy"), Map.entry("oxen", "ox"), Map.entry("theses", "thesis"), Map.entry("t-shirts", "t-shirt"));
        expected.forEach((plural, singular) -> assertEquals(singular, EnglishSingular.singularize(plural), plural));
    }

    @Test
    void captionsAreReadAsChairPyReadsThem() {
        assertEquals(List.of("person", "hot dog"), objects("A man riding a motor bike next to a hot dog stand."),
                "' motor bike' is written after a double space in the synonym list and never matches, as in the reference");
        assertEquals(List.of("dog", "cat", "toilet"), objects("Two dogs and a baby cat near the toilet seat."));
        assertEquals(List.of("person", "toilet"), objects("A person sits on a seat next to the toilet"), "no chair next to a toilet");
        assertEquals(List.of("wine glass", "dining table"), objects("Wine glasses on the dining table."));
        assertEquals(List.of("person", "dog"), objects("The girl's puppy."), "clitics are tokens of their own");
        assertEquals(List.of("train", "person"), objects("A passenger train and passengers."));
        CocoObjectWords.Reading reading = WORDS.read("A hot dog, and a dog");
        assertEquals(List.of("a", "hot dog", ",", "and", "a", "dog"), reading.words());
        assertEquals(List.of(1, 6), reading.objects().stream().map(CocoObjectWords.ObjectWord::index).toList(),
                "token positions before merging, as the reference's idxs");
    }

    @Test
    void metricsAreTheReferenceRatios(@TempDir Path dir) throws Exception {
        ChairBenchmark chair = ChairBenchmark.read(BenchmarkFixtures.coco(dir), dir.resolve("val2014"), null, 0);
        assertEquals(List.of("7", "42"), chair.items().stream().map(BenchmarkItem::id).toList(), "image 99 is not in --images");
        assertEquals("Please describe this image in detail.", chair.items().get(0).prompt());
        // image 7 truth {toilet}: "A toilet and a sink." → sink hallucinated; image 42 truth {person, dog}: all right.
        Map<String, Double> m = chair.score(Map.of("7", "A toilet and a sink.", "42", "A man with his dogs."), dir);
        assertEquals(0.5, m.get("chair/chair_s"), 1e-12);
        assertEquals(1.0 / 4, m.get("chair/chair_i"), 1e-12);
        assertEquals(3.0 / 3, m.get("chair/recall"), 1e-12);
        JsonNode result = Json.MAPPER.readTree(dir.resolve("chair.json").toFile());
        assertEquals(0.25, result.get("overall_metrics").get("CHAIRi").asDouble(), 1e-12);
        JsonNode first = result.get("sentences").get(0);
        assertEquals("[[\"sink\",\"sink\"]]", first.get("mscoco_hallucinated_words").toString());
        assertEquals("[\"toilet\"]", first.get("mscoco_gt_words").toString());
        assertEquals(0.5, first.get("metrics").get("CHAIRi").asDouble(), 1e-12);
        JsonNode input = Json.MAPPER.readTree(dir.resolve("captions.json").toFile());
        assertEquals("A man with his dogs.", input.get("imgToEval").get("42").get("caption").asText());
        assertTrue(input.get("overall").isObject());
    }

    @Test
    void groundTruthJoinsInstancesAndReferenceCaptions(@TempDir Path dir) throws Exception {
        Path annotations = BenchmarkFixtures.coco(dir);
        CocoAnnotations.GroundTruth truth = CocoAnnotations.read(annotations,
                Set.of("COCO_val2014_000000000042.jpg", "COCO_val2014_000000000007.jpg"), WORDS);
        assertEquals(Set.of("person", "dog"), truth.objects().get(42L));
        assertEquals(Set.of("toilet"), truth.objects().get(7L));
        assertFalse(truth.objects().containsKey(99L));

        Path instances = annotations.resolve("instances_val2014.json");
        Files.writeString(instances, Files.readString(instances).replace("\"image_id\": 7, \"bbox\"", "\"image\": 7, \"bbox\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChairBenchmark.read(annotations, dir.resolve("val2014"), null, 0));
        assertEquals(instances + ": annotations[1]: field 'image_id' is missing", e.getMessage());
        Files.delete(annotations.resolve("captions_val2014.json"));
        e = assertThrows(IllegalArgumentException.class, () -> ChairBenchmark.read(annotations, dir.resolve("val2014"), null, 0));
        assertTrue(e.getMessage().startsWith(annotations.resolve("captions_val2014.json") + ": no such file"), e.getMessage());
    }

    private static List<String> objects(String caption) {
        return WORDS.read(caption).objects().stream().map(CocoObjectWords.ObjectWord::object).toList();
    }
}
