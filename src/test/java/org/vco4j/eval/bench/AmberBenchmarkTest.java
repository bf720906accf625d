package org.vco4j.eval.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * AMBER's scorer against values computed by hand with the reference inference.py's formulas (percentages rounded to
 * one decimal, counters starting at 0.001), with and without word vectors for the synonym test.
 */
class AmberBenchmarkTest {
    private static final Map<String, String> ANSWERS = Map.of(
            "1", "A dog with its puppies under a tree, and a kitten near a car.",
            "2", "No", "3", "Yes.", "4", "Yes",
            "5", "A red car and a vehicle.");

    @Test
    void discriminativeAndGenerativeMetricsAreTheReferencesWithExactNouns(@TempDir Path dir) throws Exception {
        AmberBenchmark amber = AmberBenchmark.read(BenchmarkFixtures.amber(dir), dir.resolve("images"), null, 0, null, 0.8);
        Map<String, Double> m = amber.score(ANSWERS, dir);
        // q1: nouns dog, puppy, tree (truth), kitten (prone to hallucinate: Cog), car → 2 of 5 hallucinated;
        // q5: car (truth), vehicle (not matched without vectors) → 1 of 2.
        assertEquals(42.9, m.get("amber/generative/chair"));
        assertEquals(100.0, m.get("amber/generative/cover"));
        assertEquals(100.0, m.get("amber/generative/hal"));
        assertEquals(33.3, m.get("amber/generative/cog"));
        // q2 "No" right (truth no); q3 "Yes." is not exactly "Yes"; q4 "Yes" wrong: "No" is the positive class.
        assertEquals(33.3, m.get("amber/discriminative/accuracy"));
        assertEquals(99.9, m.get("amber/discriminative/precision"));
        assertEquals(50.0, m.get("amber/discriminative/recall"));
        assertEquals(66.6, m.get("amber/discriminative/f1"));
        assertEquals(1.0, m.get("amber/discriminative/not_yes_or_no"));
        assertEquals(99.9, m.get("amber/existence/f1"));
        assertEquals(0.0, m.get("amber/state/accuracy"));
        assertEquals(0.0, m.get("amber/attribute/f1"));
        assertEquals((100 - 42.9 + 66.6) / 2, m.get("amber/amber_score"), 1e-12);
        assertTrue(Files.readString(dir.resolve("amber_responses.json")).contains("\"response\" : \"A red car and a vehicle.\""));
    }

    /** The one approximation measured: spaCy's similarity as word vectors, against exact matching, on this fixture. */
    @Test
    void wordVectorsExcuseNounsSimilarToTheTruth(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.amber(dir);
        Path vectors = BenchmarkFixtures.write(dir.resolve("vectors.txt"),
                "5 3\ncar 1 0 0\nvehicle 0.9 0.1 0\ncat 0 1 0\nkitten 0 0.95 0.1\ntree 0 0 1\n");
        AmberBenchmark amber = AmberBenchmark.read(data, dir.resolve("images"), null, 0, vectors, 0.8);
        Map<String, Double> m = amber.score(ANSWERS, dir);
        assertEquals(28.6, m.get("amber/generative/chair"), "vehicle ~ car (cosine 0.99) is no hallucination any more");
        assertEquals(50.0, m.get("amber/generative/hal"));
        assertEquals(33.3, m.get("amber/generative/cog"));
        assertEquals(100.0, m.get("amber/generative/cover"));
    }

    @Test
    void nounsAreVocabularyLemmasAsWordNetGivesThem() {
        AmberNouns nouns = new AmberNouns(Set.of("dog", "puppy", "glass", "knife", "child", "bus", "leaf"));
        assertEquals(java.util.List.of("puppy", "glass", "knife", "child", "bus", "leaf"),
                nouns.extract("Dog puppies glasses knives children buses leaves cats"), "case is kept: 'Dog' is no vocabulary word");
    }

    @Test
    void badFilesNameFileRecordAndField(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.amber(dir);
        Path annotations = data.resolve("annotations.json");
        Files.writeString(annotations, Files.readString(annotations).replace("\"hallu\": [\"cat\"]", "\"hallu\": [\"unicorn\"]"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AmberBenchmark.read(data, dir.resolve("images"), null, 0, null, 0.8));
        assertEquals(annotations + ": record 4: field 'hallu': 'unicorn' has no entry in relation.json", e.getMessage());
        Files.writeString(annotations, Files.readString(annotations).replace("\"truth\": \"yes\"", "\"truth\": \"Yes\""));
        e = assertThrows(IllegalArgumentException.class, () -> AmberBenchmark.read(data, dir.resolve("images"), null, 0, null, 0.8));
        assertTrue(e.getMessage().contains("record 2: field 'truth' must be \"yes\" or \"no\""), e.getMessage());
    }
}
