package org.vco4j.eval.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** MMVP's reader, the rule grader and pair accuracy, against hand-computed values. */
class MmvpBenchmarkTest {

    @Test
    void theRuleGraderComparesTheFirstFourCharactersCleaned() {
        assertTrue(OptionLetters.isCorrect("(a)", "(a) Open"));
        assertTrue(OptionLetters.isCorrect("(a)", "a"));
        assertTrue(OptionLetters.isCorrect("(b)", " (B)"), "lower-cased, stripped");
        assertTrue(OptionLetters.isCorrect("(a)", "a)"));
        assertFalse(OptionLetters.isCorrect("(a)", "ab"));
        assertFalse(OptionLetters.isCorrect("(a)", "The answer is (a)"), "only the first four characters count");
        assertFalse(OptionLetters.isCorrect("(a)", "Open"));
        assertFalse(OptionLetters.isCorrect("(a)", ""));
        assertFalse(OptionLetters.isCorrect("(a)", "A. lamp"), "the full stop stays in the first four characters");
    }

    @Test
    void readsThePublishedLayoutAndScoresPairs(@TempDir Path dir) throws Exception {
        MmvpBenchmark mmvp = MmvpBenchmark.read(BenchmarkFixtures.mmvp(dir), null, null, 0);
        List<BenchmarkItem> items = mmvp.items();
        assertEquals(4, items.size());
        assertEquals(dir.resolve("MMVP Imgaes/3.jpg").toAbsolutePath(), items.get(2).image().toAbsolutePath());
        assertEquals("Is the dog facing left, or right, from the camera's view? (a) Left (b) Right\n"
                + "Answer with the option's letter from the given choices directly.", items.get(2).prompt());
        // pair 1: right, right; pair 2: right, wrong → pair accuracy 1/2, question accuracy 3/4
        Map<String, Double> m = mmvp.score(Map.of("1", "(a)", "2", "b", "3", "(b) Right", "4", "(b)"), dir);
        assertEquals(0.5, m.get("mmvp/pair_accuracy"), 1e-12);
        assertEquals(0.75, m.get("mmvp/question_accuracy"), 1e-12);
        assertEquals(2.0, m.get("mmvp/pairs"));
        List<String> graderInput = Files.readAllLines(dir.resolve("mmvp_answers.jsonl"));
        assertEquals(4, graderInput.size());
        assertTrue(graderInput.get(3).contains("\"question_id\":4") && graderInput.get(3).contains("\"answer\":\"(a)\"")
                && graderInput.get(3).contains("\"response\":\"(b)\""), graderInput.get(3));
    }

    @Test
    void badFilesNameFileRecordAndField(@TempDir Path dir) throws Exception {
        BenchmarkFixtures.mmvp(dir);
        Path csv = dir.resolve("Questions.csv");
        BenchmarkFixtures.write(csv, "Index,Question,Correct Answer\n1,Is it open?,(a)\n");
        assertMessage(dir, csv + ": no column 'Options'");
        BenchmarkFixtures.write(csv, "Index,Question,Options,Correct Answer\n1,Is it open?,(a) Open (b) Closed,(a)\n");
        assertMessage(dir, csv + ": 1 questions; MMVP pairs consecutive rows");
        BenchmarkFixtures.write(csv, "Index,Question,Options,Correct Answer\n1,Is it open?,(a) Open (b) Closed,(a)\n2,Is it open?,,(b)\n");
        assertMessage(dir, csv + ": record 2: field 'Options' is empty");
        Files.delete(dir.resolve("MMVP Imgaes/2.jpg"));
        BenchmarkFixtures.write(csv, "Index,Question,Options,Correct Answer\n1,Is it open?,(a) Open (b) Closed,(a)\n2,Is it open?,(a) Open (b) Closed,(b)\n");
        assertMessage(dir, csv + ": record 2: field 'image 2.jpg': no image");
    }

    private static void assertMessage(Path dir, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MmvpBenchmark.read(dir, null, null, 0));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
