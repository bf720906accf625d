package org.vco4j.eval;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.Sample;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.testing.TinyWorld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every benchmark end to end on a tiny random checkpoint: the numbers exist, are finite where defined, and in range. */
class BenchmarksOnTinyModelTest {
    @TempDir
    static Path dir;
    static PretrainedVlm vlm;
    static Path world;

    @BeforeAll
    static void load() throws Exception {
        vlm = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32());
        world = TestWorld.write(dir.resolve("world"));
    }

    @AfterAll
    static void close() {
        vlm.close();
    }

    private static EvalSuite suite(EvalOptions options) throws Exception {
        return new EvalSuite(vlm.model(), vlm.processor(), world, options);
    }

    private static void assertRate(Map<String, Double> metrics, String name) {
        Double value = metrics.get(name);
        assertNotNull(value, name + " missing from " + metrics.keySet());
        assertTrue(value >= 0 && value <= 1, name + " = " + value);
    }

    @Test
    void pope() throws Exception {
        try (EvalSuite suite = suite(EvalOptions.defaults())) {
            EvalResult result = suite.pope();
            for (PopeSplit split : PopeSplit.values()) {
                String prefix = "pope/" + split.label();
                // Nine distinct kinds in the five eval scenes, each asked about, plus as many absent kinds.
                assertEquals(18, result.metric(prefix + "/questions"));
                for (String metric : List.of("accuracy", "recall", "yes_ratio")) assertRate(result.metrics(), prefix + "/" + metric);
                for (String metric : List.of("precision", "f1")) {
                    double value = result.metric(prefix + "/" + metric);
                    assertTrue(Double.isNaN(value) ? result.metric(prefix + "/yes_ratio") == 0 : value >= 0 && value <= 1, metric + " " + value);
                }
            }
            assertEquals(54, result.details().size());
            Pope.Answer first = (Pope.Answer) result.details().get(0);
            assertEquals(first.logpYes() >= first.logpNo(), first.answeredYes());
            assertTrue(first.logpYes() < 0 && first.logpNo() < 0);
        }
    }

    @Test
    void limitCutsTheScenes() throws Exception {
        try (EvalSuite suite = suite(EvalOptions.defaults().withLimit(2))) {
            assertEquals(List.of("e1", "e2"), suite.scenes().stream().map(s -> s.id()).toList());
            assertEquals(8, suite.pope().metric("pope/random/questions"));
            assertEquals(2, suite.mmvp().metric("mmvp/pairs"));
        }
    }

    @Test
    void mmvpAndVisualDependency() throws Exception {
        Path kept = dir.resolve("kept-pairs");
        try (EvalSuite suite = suite(EvalOptions.defaults()).renderPairsInto(kept)) {
            EvalResult mmvp = suite.mmvp();
            assertEquals(10, mmvp.metric("mmvp/pairs"));
            assertRate(mmvp.metrics(), "mmvp/pair_accuracy");
            assertRate(mmvp.metrics(), "mmvp/question_accuracy");
            assertRate(mmvp.metrics(), "mmvp/color/pair_accuracy");
            assertRate(mmvp.metrics(), "mmvp/position/pair_accuracy");
            assertTrue(mmvp.metric("mmvp/pair_accuracy") <= mmvp.metric("mmvp/question_accuracy"));

            EvalResult dependency = suite.dependency();
            for (String score : VisualDependency.SCORES) {
                assertRate(dependency.metrics(), "dependency/" + score + "/with_image");
                assertRate(dependency.metrics(), "dependency/" + score + "/without_image");
            }
            assertEquals(mmvp.metric("mmvp/pair_accuracy"), dependency.metric("dependency/mmvp/pair_accuracy/with_image"));
            // Without images both halves of a pair are the same question, so at most one of them can be right.
            assertEquals(0, dependency.metric("dependency/mmvp/pair_accuracy/without_image"));
            assertEquals(0.5, dependency.metric("dependency/mmvp/question_accuracy/without_image"));
        }
        assertTrue(Files.isRegularFile(kept.resolve(MmvpPairs.FILE_NAME)), "rendered pairs kept");
        try (EvalSuite fromFile = suite(EvalOptions.defaults()).pairsFrom(kept.resolve(MmvpPairs.FILE_NAME))) {
            assertEquals(10, fromFile.mmvp().metric("mmvp/pairs"));
        }
    }

    @Test
    void neglectDiagnostic() throws Exception {
        try (EvalSuite suite = suite(EvalOptions.defaults())) {
            List<Sample> tuples = suite.minimalContrasts();
            EvalResult result = suite.neglect();
            assertEquals(2 * tuples.size(), result.metric("neglect/captions"), "two captions per tuple");
            for (String condition : List.of("match", "mismatch", "none")) {
                for (String statistic : List.of("mean", "median")) {
                    double value = result.metric("neglect/perplexity/" + condition + "/" + statistic);
                    assertTrue(Double.isFinite(value) && value >= 1, condition + " " + statistic + " = " + value);
                }
            }
            assertRate(result.metrics(), "neglect/match_below_mismatch");
            assertRate(result.metrics(), "neglect/match_below_none");
            for (Sample tuple : tuples) assertRate(result.metrics(), "neglect/" + tuple.contrast() + "/match_below_mismatch");
            // Scene e1's first tuple: y describes e1 and is scored under e1, then under its counterfactual twin.
            NeglectDiagnostic.Caption first = (NeglectDiagnostic.Caption) result.details().get(0);
            NeglectDiagnostic.Caption second = (NeglectDiagnostic.Caption) result.details().get(1);
            assertEquals("There is a small blue circle on the left and a large blue square on the right.", first.caption());
            assertEquals(tuples.get(0).responses().get(1), second.caption());
            assertNotEquals(first.caption(), second.caption());
            assertTrue(Files.isRegularFile(tuples.get(0).images().get(1)), "the contrasting image is rendered");
        }
    }

    @Test
    void chair() throws Exception {
        try (EvalSuite suite = suite(new EvalOptions("eval", 3, 0, 16, 12))) {
            EvalResult result = suite.chair();
            assertEquals(3, result.metric("chair/captions"));
            for (String metric : List.of("chair/chair_s", "chair/recall", "chair/fluency")) assertRate(result.metrics(), metric);
            double words = result.metric("chair/object_words");
            assertTrue(words >= 0 && Double.isFinite(words));
            assertEquals(words == 0, Double.isNaN(result.metric("chair/chair_i")));
            long fluent = result.details().stream().filter(c -> ((Chair.Caption) c).fluent()).count();
            assertEquals(fluent / 3.0, result.metric("chair/fluency"), 1e-12);
        }
    }

    @Test
    void popeMmvpAndChairRunThroughThePublishedFormats() throws Exception {
        Path files = dir.resolve("published");
        try (EvalSuite suite = suite(new EvalOptions("eval", 0, 0, 16, 8)).benchmarkFilesInto(files)) {
            EvalResult pope = suite.pope();
            EvalResult mmvp = suite.mmvp();
            suite.chair();
            for (PopeSplit split : PopeSplit.values()) {
                Path file = files.resolve("pope/world_pope_" + split.label() + ".jsonl");
                List<String> lines = Files.readAllLines(file);
                assertEquals(18, lines.size());
                var first = org.vco4j.common.Json.MAPPER.readTree(lines.get(0));
                assertEquals(List.of("question_id", "image", "text", "label"), iterable(first.fieldNames()));
                assertTrue(Files.isRegularFile(files.resolve("pope/answers/world_pope_" + split.label() + "_answers.jsonl")));
                // The scorer's accuracy is the share of the details whose answer is the truth.
                long right = pope.details().stream().map(a -> (Pope.Answer) a)
                        .filter(a -> a.split().equals(split.label()) && a.truth() == a.answeredYes()).count();
                assertEquals(right / 18.0, pope.metric("pope/" + split.label() + "/accuracy"), 1e-12);
            }
            List<String> csv = Files.readAllLines(files.resolve("mmvp/all/Questions.csv"));
            assertEquals("Index,Question,Options,Correct Answer", csv.get(0));
            assertEquals(1 + 2 * 10, csv.size());
            assertTrue(Files.isRegularFile(files.resolve("mmvp/all/MMVP Images/1.png")));
            assertTrue(Files.isRegularFile(files.resolve("mmvp/all/answers/mmvp_answers.jsonl")));
            long pairsRight = mmvp.details().stream().map(o -> (Mmvp.Outcome) o).filter(o -> o.right(0) && o.right(1)).count();
            assertEquals(pairsRight / 10.0, mmvp.metric("mmvp/pair_accuracy"), 1e-12);
            assertTrue(Files.isRegularFile(files.resolve("chair/annotations/instances_val2014.json")));
            assertTrue(Files.isRegularFile(files.resolve("chair/annotations/captions_val2014.json")));
            assertTrue(Files.isRegularFile(files.resolve("chair/answers/chair.json")));
        }
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void batchingDoesNotChangeDecisions() {
        List<ForcedChoice.Question> questions = List.of(
                new ForcedChoice.Question("a", WorldQuestions.withImage(world.resolve("images/e1.png"), "What colour is the circle?"),
                        List.of("red", "blue", "green")),
                new ForcedChoice.Question("b", WorldQuestions.withoutImage("Is there a red circle in the image?"), List.of("yes", "no")),
                new ForcedChoice.Question("c", WorldQuestions.withImage(world.resolve("images/e2.png"), "Is there a red circle in the image?"),
                        List.of("yes", "no")));
        List<ForcedChoice.Decision> one = new ForcedChoice(vlm.model(), vlm.processor(), 1).decide(questions, "t", EvalProgress.NONE);
        List<ForcedChoice.Decision> many = new ForcedChoice(vlm.model(), vlm.processor(), 16).decide(questions, "t", EvalProgress.NONE);
        for (int q = 0; q < questions.size(); q++) {
            assertEquals(one.get(q).chosen(), many.get(q).chosen());
            assertArrayEquals(one.get(q).logps(), many.get(q).logps(), 1e-4);
            assertEquals(ForcedChoice.argmax(one.get(q).logps()), one.get(q).chosen());
        }
    }

    @Test
    void candidatesTheTokenizerCannotTellApartAreRefused() {
        ForcedChoice choice = new ForcedChoice(vlm.model(), vlm.processor(), 4);
        ForcedChoice.Question question = new ForcedChoice.Question("q", Context.textOnly("Which?"), List.of("zorblax", "quuxity"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> choice.decide(List.of(question), "t", EvalProgress.NONE));
        assertTrue(e.getMessage().contains("zorblax"), e.getMessage());
    }
}
